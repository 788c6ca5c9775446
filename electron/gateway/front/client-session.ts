// One MCP client session of the front door: a JSON-RPC peer (rpc/peer.ts) over the gateway's Streamable HTTP
// transport, bound to its grant and, when it asked for one, to one upstream server. It answers initialize and ping
// itself; every other request goes to its route (rpc/routes.ts).
import {
  InitializeRequestSchema,
  LATEST_PROTOCOL_VERSION,
  PingRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ClientCapabilities,
  type Implementation,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { RpcEndpoint } from '../rpc/endpoint.js';
import { RpcPeer } from '../rpc/peer.js';
import { SERVER_INFO, SESSION_CAPABILITIES } from '../rpc/server-info.js';
import { NodeStreamableTransport } from './node-transport.js';
import { dispatch, route, type RequestParser, type Route, type RouteTable } from '../rpc/routes.js';

export interface SessionExtra {
  session: ClientSession;
  requestId: RequestId;
  signal: AbortSignal;
  /** A notification on this request's stream (progress). */
  notify: (notification: { method: string; params?: Record<string, unknown> }) => Promise<void>;
}

export type SessionRoute = Route<SessionExtra>;
export type SessionRoutes = RouteTable<SessionExtra>;

/** A route of a client session (rpc/routes.ts's route, with the session's extra). */
export function sessionRoute<T>(
  parser: RequestParser<T>,
  handle: (request: T, extra: SessionExtra) => unknown,
): SessionRoute {
  return route(parser, handle);
}

export interface ClientSessionOptions {
  grant: string;
  scope: string | undefined;
  newSessionId: () => string;
  /** The routes of this session (built for it: some keep per-session state). */
  routes: (session: ClientSession) => SessionRoutes;
  onInitialized: (session: ClientSession) => void;
  /** The client ended the session (DELETE) or its transport closed. */
  onClosed: (session: ClientSession) => void;
  diagnostics: (line: string) => void;
}

export class ClientSession extends RpcEndpoint {
  /** Set when the client initializes; empty before. */
  id = '';
  readonly grant: string;
  /** The one upstream server this session sees, when it asked for one (`X-Gatehouse-Server`). */
  readonly scope: string | undefined;
  readonly transport: NodeStreamableTransport;
  /** What the client declared it can do (sampling, elicitation, roots), once initialized. */
  capabilities: ClientCapabilities | undefined;
  clientInfo: Implementation | undefined;
  /** When the client last sent a request on this session (its sessions' clock): idle sessions end. */
  lastRequestAt = 0;
  protected readonly peer: RpcPeer;
  private readonly routes: SessionRoutes;

  constructor(options: ClientSessionOptions) {
    super();
    this.grant = options.grant;
    this.scope = options.scope;
    this.transport = new NodeStreamableTransport({
      newSessionId: options.newSessionId,
      onInitialized: (id) => {
        this.id = id;
        options.onInitialized(this);
      },
      onDeleted: () => options.onClosed(this),
      clientMayBeAsked: () => this.mayBeAsked(),
    });
    this.routes = new Map<string, SessionRoute>([
      ...options.routes(this),
      ['initialize', route(InitializeRequestSchema, (request) => this.initialize(request.params))],
      ['ping', route(PingRequestSchema, () => ({}))],
    ]);
    this.peer = new RpcPeer(this.transport, {
      request: (message, context) =>
        dispatch(this.routes, message, {
          session: this,
          requestId: context.requestId,
          signal: context.signal,
          notify: context.notify,
        }),
      // notifications/initialized and roots/list_changed: nothing to do (roots come from servers.json).
      notification: () => undefined,
    });
    this.peer.onclose = () => options.onClosed(this);
    this.peer.onerror = (err) => options.diagnostics(`mcp session ${this.id || '(new)'}: ${err.message}`);
    void this.peer.start();
  }

  /** Whether server-to-client requests may travel with an answer (the client declared sampling or elicitation). */
  mayBeAsked(): boolean {
    return this.capabilities?.sampling !== undefined || this.capabilities?.elicitation !== undefined;
  }

  private initialize(params: z.output<typeof InitializeRequestSchema>['params']) {
    this.capabilities = params.capabilities;
    this.clientInfo = params.clientInfo;
    const protocolVersion = SUPPORTED_PROTOCOL_VERSIONS.includes(params.protocolVersion)
      ? params.protocolVersion
      : LATEST_PROTOCOL_VERSION;
    return { protocolVersion, capabilities: SESSION_CAPABILITIES, serverInfo: SERVER_INFO };
  }
}
