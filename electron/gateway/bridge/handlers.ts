// What the bridge answers on stdin: the gateway's tools (the last known list while it is down), calls sent on with
// their progress and cancellation, and every other request forwarded as it is.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CreateTaskResultSchema,
  ErrorCode,
  ListToolsRequestSchema,
  ResultSchema,
  SetLevelRequestSchema,
  type CallToolResult,
  type CreateTaskResult,
  type ListToolsResult,
  type ServerResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { PassedError } from './failures.js';
import { forward, onGateway, type Extra } from './forward.js';
import type { ForwardedRequest, GatewayLink } from './gateway-link.js';

const ToolList = z.looseObject({
  tools: z.array(z.looseObject({ name: z.string() })),
  nextCursor: z.string().optional(),
});

/** Answers for the methods the bridge declares, while the gateway does not serve them (yet) or is down. */
const EMPTY_RESULTS: Record<string, Record<string, unknown>> = {
  'resources/list': { resources: [] },
  'resources/templates/list': { resourceTemplates: [] },
  'prompts/list': { prompts: [] },
  'completion/complete': { completion: { values: [] } },
  'logging/setLevel': {},
  'tasks/list': { tasks: [] },
};

const START_HINT = 'Start it (open the Gatehouse app, or run: gatehouse serve) and try again.';

function notRunningText(what: string, refusal?: string, verb = 'called'): string {
  return refusal
    ? `Gatehouse refused the bridge, so ${what} was not ${verb}: ${refusal}`
    : `Gatehouse is not running, so ${what} was not ${verb}. ${START_HINT}`;
}

function interruptedText(what: string): string {
  return `Gatehouse stopped while ${what} was running, so it is not known whether it completed. Start Gatehouse again (open the Gatehouse app, or run: gatehouse serve) and check before retrying.`;
}

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** A tool as listed by the gateway: only its name is looked at, everything else passes through unchanged. */
interface ListedTool {
  name: string;
  [key: string]: unknown;
}

export interface HandlerDeps {
  link: GatewayLink;
  /** `--server S`: the gateway scopes the session to S (X-Gatehouse-Server); an empty list gets a hint once. */
  scope?: string;
  log: (line: string) => void;
}

export function registerHandlers(server: Server, deps: HandlerDeps): void {
  const { link, scope, log } = deps;
  let lastTools: ListedTool[] = [];
  let emptyNoted = false;

  server.setRequestHandler(ListToolsRequestSchema, (request, extra) => {
    const known = () => ({ tools: lastTools }) as unknown as ListToolsResult;
    return onGateway(
      link,
      extra.signal,
      async (session) => {
        const params = request.params ? { params: request.params } : {};
        const result = await forward(session, { method: 'tools/list', ...params }, ToolList, extra);
        const tools = result.tools;
        if (request.params?.cursor === undefined) {
          lastTools = tools;
          if (scope !== undefined && tools.length === 0 && !emptyNoted) {
            log(`the gateway lists no tools of server "${scope}" (yet): check its name in servers.json`);
          }
          emptyNoted = scope !== undefined && tools.length === 0;
        }
        return result as unknown as ListToolsResult;
      },
      { down: known, broken: known },
    );
  });

  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const name = request.params.name;
    return onGateway(
      link,
      extra.signal,
      async (session): Promise<CallToolResult | CreateTaskResult> => {
        const call = { method: 'tools/call', params: request.params };
        // A call run as a task is answered with the task the gateway created (then tasks/* follow as they are).
        if (request.params.task) return forward(session, call, CreateTaskResultSchema, extra);
        return forward(session, call, CallToolResultSchema, extra);
      },
      {
        down: () => toolError(notRunningText(name, link.refusedBecause())),
        broken: () => toolError(interruptedText(name)),
      },
    );
  });

  const passOn = async (request: ForwardedRequest, extra: Extra): Promise<ServerResult> => {
    const empty = EMPTY_RESULTS[request.method];
    try {
      return await onGateway(
        link,
        extra.signal,
        (session) => forward(session, request, ResultSchema, extra),
        {
          down: () => {
            if (empty) return empty;
            const text = notRunningText(request.method, link.refusedBecause(), 'sent');
            throw new PassedError(ErrorCode.InternalError, text);
          },
          broken: () => {
            if (empty) return empty;
            throw new PassedError(ErrorCode.InternalError, interruptedText(request.method));
          },
        },
      );
    } catch (err) {
      if (empty && err instanceof PassedError && err.code === ErrorCode.MethodNotFound) return empty;
      throw err;
    }
  };

  // The SDK answers logging/setLevel itself when logging is declared; the gateway should hear it instead.
  server.setRequestHandler(SetLevelRequestSchema, (request, extra) => passOn(request, extra));
  server.fallbackRequestHandler = (request, extra) =>
    passOn({ method: request.method, ...(request.params ? { params: request.params } : {}) }, extra);
  server.fallbackNotificationHandler = async (notification) => {
    await link
      .current()
      ?.client.notification(notification)
      .catch(() => undefined); // a notification to a gateway that just went away is lost, as it would be anyway
  };
}
