// MCP sessions of the front door: one SDK Server and Streamable HTTP transport per client session, bound to its grant.
// The transport is the gateway's own (node-transport.ts: why, with figures); the Server is the SDK's.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { readJsonBody } from './read-body.js';
import { rpcError, withCleanErrors } from './rpc-error.js';
import { NodeStreamableTransport } from './node-transport.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  type CallToolResult,
  type CreateTaskResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';

/** The largest request body accepted on /mcp, declared or streamed. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A session narrowed to one upstream server (`X-Gatehouse-Server`): its tools and prompts under their own names. */
export const SERVER_SCOPE_HEADER = 'x-gatehouse-server';

/** The grant, id and server scope of a client session, as the hooks see it. */
export interface SessionRef {
  grant: string;
  id: () => string;
  /** The one upstream server this session sees, when it asked for one. */
  scope?: string;
}

export interface SessionHooks {
  serverInfo: { name: string; version: string };
  listTools: (grant: string, scope: string | undefined) => Tool[];
  callTool: (
    ctx: { grant: string; session: string; name: string; scope?: string },
    args: Record<string, unknown> | undefined,
    extra: {
      signal: AbortSignal;
      requestId: string | number;
      sendProgress?: (p: { progress: number; total?: number; message?: string }) => Promise<void>;
      /** The client asked to run the call as a task (`params.task`). */
      task?: Record<string, unknown>;
    },
  ) => Promise<CallToolResult | CreateTaskResult>;
  /** Registers the other capabilities (resources, prompts, completion, logging, tasks) on a new session's server. */
  setup: (server: Server, session: SessionRef) => void;
  /** A session was initialized (it has its id now). */
  opened: (sessionId: string, grant: string) => void;
  /** A session ended: its subscriptions and such go. */
  closed: (sessionId: string) => void;
  diagnostics: (line: string) => void;
}

/**
 * What the gateway's client sessions can do: everything an upstream may offer, under the policy — tools/call also as
 * a task, and tasks/get, tasks/result, tasks/list and tasks/cancel for the session's grant's own tasks.
 */
export const SESSION_CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
  tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
};

interface Session {
  id: string;
  grant: string;
  scope?: string;
  server: Server;
  transport: NodeStreamableTransport;
}

export function jsonRpcError(res: ServerResponse, status: number, message: string, code = -32000): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

export class McpSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly hooks: SessionHooks) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Handles one request on /mcp from an authenticated grant. */
  async handle(req: IncomingMessage, res: ServerResponse, grant: string): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    const known = typeof sessionId === 'string' ? this.sessions.get(sessionId) : undefined;
    const scope = req.headers[SERVER_SCOPE_HEADER];
    if (scope !== undefined && (typeof scope !== 'string' || scope === '')) {
      return jsonRpcError(res, 400, 'X-Gatehouse-Server must name one server of servers.json');
    }
    if (typeof sessionId === 'string') {
      if (!known) return jsonRpcError(res, 404, 'Session not found: initialize a new session');
      if (known.grant !== grant) return jsonRpcError(res, 403, 'this session belongs to another grant');
      if (known.scope !== scope) {
        return jsonRpcError(
          res,
          400,
          `this session was opened ${known.scope === undefined ? 'without X-Gatehouse-Server' : `for server "${known.scope}"`}: send the same X-Gatehouse-Server header with every request`,
        );
      }
    }
    let parsed: unknown;
    if (req.method === 'POST') {
      const body = await readJsonBody(req, MAX_BODY_BYTES);
      if (!body.ok) {
        if (body.status === 413) res.setHeader('Connection', 'close');
        return jsonRpcError(res, body.status, body.message, body.code);
      }
      parsed = body.body;
    }
    if (known) return known.transport.handle(req, res, parsed);
    if (req.method !== 'POST') return jsonRpcError(res, 400, 'Bad Request: no valid session ID provided');
    const session = this.open(grant, scope);
    session.transport.handle(req, res, parsed);
    // A request that did not initialize leaves no session behind.
    if (!session.transport.sessionId) await session.server.close().catch(() => undefined);
  }

  private open(grant: string, scope: string | undefined): Session {
    const server = withCleanErrors(new Server(this.hooks.serverInfo, { capabilities: SESSION_CAPABILITIES }));
    const session: Session = {
      id: '',
      grant,
      ...(scope !== undefined ? { scope } : {}),
      server,
      transport: undefined as unknown as NodeStreamableTransport,
    };
    session.transport = new NodeStreamableTransport({
      newSessionId: () => randomUUID(),
      onInitialized: (id) => {
        session.id = id;
        this.sessions.set(id, session);
        this.hooks.opened(id, grant);
      },
      onDeleted: (id) => {
        if (this.sessions.delete(id)) this.hooks.closed(id);
      },
      clientMayBeAsked: () => {
        const caps = server.getClientCapabilities();
        return caps?.sampling !== undefined || caps?.elicitation !== undefined;
      },
    });
    session.transport.onclose = () => {
      if (session.id && this.sessions.delete(session.id)) this.hooks.closed(session.id);
    };
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: this.hooks.listTools(session.grant, session.scope),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const progressToken = request.params._meta?.progressToken;
      const sendProgress =
        progressToken === undefined
          ? undefined
          : (p: { progress: number; total?: number; message?: string }) =>
              extra.sendNotification({ method: 'notifications/progress', params: { progressToken, ...p } });
      return this.hooks.callTool(
        {
          grant: session.grant,
          session: session.id,
          name: request.params.name,
          ...(session.scope !== undefined ? { scope: session.scope } : {}),
        },
        request.params.arguments,
        {
          signal: extra.signal,
          requestId: extra.requestId,
          ...(sendProgress ? { sendProgress } : {}),
          ...(request.params.task ? { task: request.params.task } : {}),
        },
      );
    });
    this.hooks.setup(server, {
      grant: session.grant,
      id: () => session.id,
      ...(session.scope !== undefined ? { scope: session.scope } : {}),
    });
    server.onerror = (err) => this.hooks.diagnostics(`mcp session ${session.id || '(new)'}: ${err.message}`);
    void server.connect(session.transport);
    return session;
  }

  /**
   * Sends a notification to the named sessions (all when omitted); one that comes from an upstream server skips the
   * sessions scoped to another server.
   */
  notify(
    notification: { method: string; params?: Record<string, unknown> },
    sessionIds?: readonly string[],
    fromServer?: string,
  ): void {
    const targets = sessionIds ? sessionIds.map((id) => this.sessions.get(id)) : [...this.sessions.values()];
    for (const session of targets) {
      if (!session) continue;
      if (fromServer !== undefined && session.scope !== undefined && session.scope !== fromServer) continue;
      session.server.notification(notification as never).catch(() => undefined);
    }
  }

  /** The SDK server of a live session: to send it a request (sampling, elicitation) on behalf of an upstream. */
  serverOf(sessionId: string): Server | undefined {
    return this.sessions.get(sessionId)?.server;
  }

  /** Tells every session that the tool list changed (only clients holding the GET stream hear it). */
  notifyToolsChanged(): void {
    for (const session of this.sessions.values()) {
      session.server.sendToolListChanged().catch(() => undefined);
    }
  }

  countOf(grant: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.grant === grant) n++;
    return n;
  }

  /** Ends every live session of a grant (revoked). */
  async closeGrant(grant: string): Promise<number> {
    const doomed = [...this.sessions.values()].filter((s) => s.grant === grant);
    await Promise.all(doomed.map((s) => this.closeSession(s)));
    return doomed.length;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.closeSession(s)));
  }

  private async closeSession(session: Session): Promise<void> {
    if (this.sessions.delete(session.id)) this.hooks.closed(session.id);
    await session.server
      .close()
      .catch((err: Error) => this.hooks.diagnostics(`closing session: ${err.message}`));
  }
}

export function unknownTool(name: string): Error {
  return rpcError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
}
