// Requests an upstream sends to Gatehouse's client: roots, sampling, elicitation. The client declares all three so
// they can be passed on later; until then roots are empty and sampling and elicitation are refused plainly.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  McpError,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type ListRootsResult,
} from '@modelcontextprotocol/sdk/types.js';

export interface UpstreamRequestHandlers {
  listRoots(server: string): ListRootsResult | Promise<ListRootsResult>;
  createMessage(
    server: string,
    request: CreateMessageRequest,
    signal: AbortSignal,
  ): Promise<CreateMessageResult>;
  elicit(server: string, request: ElicitRequest, signal: AbortSignal): Promise<ElicitResult>;
}

export const defaultRequestHandlers: UpstreamRequestHandlers = {
  listRoots: () => ({ roots: [] }),
  createMessage: (server) =>
    Promise.reject(
      new McpError(
        ErrorCode.InvalidRequest,
        `Gatehouse does not pass sampling requests from upstream "${server}" on to an agent (not supported yet)`,
      ),
    ),
  elicit: (server) =>
    Promise.reject(
      new McpError(
        ErrorCode.InvalidRequest,
        `Gatehouse does not pass elicitation requests from upstream "${server}" on to a person (not supported yet)`,
      ),
    ),
};

export function createUpstreamClient(
  server: string,
  clientInfo: { name: string; version: string },
  handlers: UpstreamRequestHandlers,
): Client {
  const client = new Client(clientInfo, {
    capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: {} },
  });
  client.setRequestHandler(ListRootsRequestSchema, () => handlers.listRoots(server));
  client.setRequestHandler(CreateMessageRequestSchema, (request, extra) =>
    handlers.createMessage(server, request, extra.signal),
  );
  client.setRequestHandler(ElicitRequestSchema, (request, extra) =>
    handlers.elicit(server, request, extra.signal),
  );
  return client;
}
