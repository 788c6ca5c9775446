// MCP sessions of the front door: one ClientSession (its own JSON-RPC peer over the gateway's Streamable HTTP
// transport) per client session, bound to its grant. Every request of a session goes to its route (rpc/routes.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { readJsonBody } from './read-body.js';
import { rpcError } from '../rpc/rpc-error.js';
import { ClientSession } from './client-session.js';
import type { SessionRoutes } from './client-session.js';

/** The largest request body accepted on /mcp, declared or streamed. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A session narrowed to one upstream server (`X-Gatehouse-Server`): its tools and prompts under their own names. */
const SERVER_SCOPE_HEADER = 'x-gatehouse-server';

export interface SessionHooks {
  /** The routes of a new session. */
  routes: (session: ClientSession) => SessionRoutes;
  /** A session was initialized (it has its id now). */
  opened: (session: ClientSession) => void;
  /** A session ended: its subscriptions and such go. */
  closed: (sessionId: string) => void;
  diagnostics: (line: string) => void;
}

export function jsonRpcError(res: ServerResponse, status: number, message: string, code = -32000): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

export class McpSessions {
  private readonly sessions = new Map<string, ClientSession>();

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
    if (!session.transport.sessionId) await session.close().catch(() => undefined);
  }

  private open(grant: string, scope: string | undefined): ClientSession {
    return new ClientSession({
      grant,
      scope,
      newSessionId: () => randomUUID(),
      routes: this.hooks.routes,
      onInitialized: (session) => {
        this.sessions.set(session.id, session);
        this.hooks.opened(session);
      },
      onClosed: (session) => {
        if (session.id && this.sessions.delete(session.id)) this.hooks.closed(session.id);
      },
      diagnostics: this.hooks.diagnostics,
    });
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
      session.notify(notification).catch(() => undefined);
    }
  }

  /** A live session: to send it a request (sampling, elicitation) on behalf of an upstream. */
  get(sessionId: string): ClientSession | undefined {
    return this.sessions.get(sessionId);
  }

  /** Tells every session that the tool list changed (only clients holding the GET stream hear it). */
  notifyToolsChanged(): void {
    for (const session of this.sessions.values()) {
      session.notify({ method: 'notifications/tools/list_changed' }).catch(() => undefined);
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

  private async closeSession(session: ClientSession): Promise<void> {
    if (this.sessions.delete(session.id)) this.hooks.closed(session.id);
    await session.close().catch((err: Error) => this.hooks.diagnostics(`closing session: ${err.message}`));
  }
}

export function unknownTool(name: string): Error {
  return rpcError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
}
