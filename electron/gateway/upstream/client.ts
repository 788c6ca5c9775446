// Gatehouse's client connection to one upstream server: a JSON-RPC peer (rpc/peer.ts) over the SDK's stdio or HTTP
// transport. It initializes the session, answers the server's own requests (roots from servers.json; sampling and
// elicitation passed on under the policy) and hands its notifications on. Requests are sent as they come and their
// results checked with the SDK's schemas.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  InitializeResultSchema,
  LATEST_PROTOCOL_VERSION,
  ListRootsRequestSchema,
  PingRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type Implementation,
  type JSONRPCNotification,
  type ListRootsResult,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { RpcEndpoint } from '../rpc/endpoint.js';
import { RpcPeer, type RequestOptions } from '../rpc/peer.js';
import { dispatch, route, type Route } from '../rpc/routes.js';

/** The requests an upstream sends to Gatehouse's client. */
export interface UpstreamRequestHandlers {
  listRoots(server: string): ListRootsResult | Promise<ListRootsResult>;
  createMessage(
    server: string,
    request: CreateMessageRequest,
    signal: AbortSignal,
  ): Promise<CreateMessageResult>;
  elicit(server: string, request: ElicitRequest, signal: AbortSignal): Promise<ElicitResult>;
}

export interface UpstreamClientOptions {
  server: string;
  clientInfo: { name: string; version: string };
  handlers: UpstreamRequestHandlers;
  /** Every notification of the server (list changes, resource updates, log messages, task status). */
  onNotification: (notification: JSONRPCNotification) => void;
}

/** Declared so that sampling and elicitation can be passed on (under the policy) and roots answered. */
const CLIENT_CAPABILITIES = { roots: { listChanged: true }, sampling: {}, elicitation: {} };

export class UpstreamClient extends RpcEndpoint {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** What the server declared it can do, once initialized. */
  capabilities: ServerCapabilities | undefined;
  /** The server's name and version, once initialized. */
  serverInfo: Implementation | undefined;
  protected readonly peer: RpcPeer;
  private readonly clientInfo: { name: string; version: string };

  constructor(
    readonly transport: Transport,
    options: UpstreamClientOptions,
  ) {
    super();
    const { server, handlers } = options;
    const routes = new Map<string, Route<AbortSignal>>([
      ['ping', route(PingRequestSchema, () => ({}))],
      ['roots/list', route(ListRootsRequestSchema, () => handlers.listRoots(server))],
      [
        'sampling/createMessage',
        route(CreateMessageRequestSchema, (request, signal: AbortSignal) =>
          handlers.createMessage(server, request, signal),
        ),
      ],
      [
        'elicitation/create',
        route(ElicitRequestSchema, (request, signal: AbortSignal) =>
          handlers.elicit(server, request, signal),
        ),
      ],
    ]);
    this.peer = new RpcPeer(transport, {
      request: (message, context) => dispatch(routes, message, context.signal),
      notification: options.onNotification,
    });
    this.peer.onclose = () => this.onclose?.();
    this.peer.onerror = (err) => this.onerror?.(err);
    this.clientInfo = options.clientInfo;
  }

  /** Starts the transport and initializes the session; throws what went wrong (the transport is closed then). */
  async connect(timeoutMs: number): Promise<void> {
    try {
      await this.peer.start();
      const result = InitializeResultSchema.parse(
        await this.peer.request(
          'initialize',
          {
            protocolVersion: LATEST_PROTOCOL_VERSION,
            capabilities: CLIENT_CAPABILITIES,
            clientInfo: this.clientInfo,
          },
          { timeoutMs },
        ),
      );
      if (!SUPPORTED_PROTOCOL_VERSIONS.includes(result.protocolVersion)) {
        throw new Error(`the server's protocol version is not supported: ${result.protocolVersion}`);
      }
      this.capabilities = result.capabilities;
      this.serverInfo = result.serverInfo;
      this.transport.setProtocolVersion?.(result.protocolVersion);
      await this.peer.notify({ method: 'notifications/initialized' });
    } catch (err) {
      await this.close().catch(() => undefined);
      throw err;
    }
  }

  /** A request whose result the caller checks (tools/call: rpc/message-shapes.ts checks the common ones by hand). */
  requestRaw(
    method: string,
    params: Record<string, unknown>,
    options: RequestOptions = {},
  ): Promise<unknown> {
    return this.peer.request(method, params, options);
  }
}
