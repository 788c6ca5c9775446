// MCP sessions of the front door: one ClientSession (its own JSON-RPC peer over the gateway's Streamable HTTP
// transport) per client session, bound to its grant. Every request of a session goes to its route (rpc/routes.ts).
// Sessions are bounded: one without a request for a while ends (its resources go with it, through `closed`), and a
// grant holds a limited number at once — a client that opens session after session is refused, not remembered.
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

export interface SessionLimits {
  /** A session with no request for this long, and none in flight, ends. */
  idleMs: number;
  /** The most sessions one grant holds at once; one more initialize is refused. */
  perGrant: number;
}

const SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, perGrant: 64 };
/** How often idle sessions are looked for (also at every initialize). */
const SWEEP_EVERY_MS = 60_000;

export function jsonRpcError(res: ServerResponse, status: number, message: string, code = -32000): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

export class McpSessions {
  private readonly sessions = new Map<string, ClientSession>();
  private readonly perGrant = new Map<string, number>();
  private readonly limits: SessionLimits;
  private readonly clock: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly hooks: SessionHooks,
    options: Partial<SessionLimits> & { clock?: () => number } = {},
  ) {
    const { clock, ...limits } = options;
    this.limits = { ...SESSION_LIMITS, ...limits };
    this.clock = clock ?? Date.now;
    this.sweeper = setInterval(
      () => this.expireIdle(),
      Math.min(SWEEP_EVERY_MS, Math.max(1, this.limits.idleMs / 2)),
    ).unref();
  }

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
        if (body.status === 503) res.setHeader('Retry-After', '1');
        return jsonRpcError(res, body.status, body.message, body.code);
      }
      parsed = body.body;
    }
    if (known) {
      known.lastRequestAt = this.clock();
      return known.transport.handle(req, res, parsed);
    }
    if (req.method !== 'POST') return jsonRpcError(res, 400, 'Bad Request: no valid session ID provided');
    if (hasInitialize(parsed)) {
      this.expireIdle();
      const held = this.perGrant.get(grant) ?? 0;
      if (held >= this.limits.perGrant) {
        return jsonRpcError(
          res,
          429,
          `grant "${grant}" already holds ${held} MCP sessions, the most Gatehouse keeps open for one grant (${this.limits.perGrant}): ` +
            `close the sessions you no longer use (HTTP DELETE with their Mcp-Session-Id) and initialize again; ` +
            `a session with no request for ${Math.round(this.limits.idleMs / 60_000)} minutes ends by itself`,
        );
      }
    }
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
        session.lastRequestAt = this.clock();
        this.perGrant.set(grant, (this.perGrant.get(grant) ?? 0) + 1);
        this.hooks.opened(session);
      },
      onClosed: (session) => this.forget(session),
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
    return this.perGrant.get(grant) ?? 0;
  }

  /** Ends every session with no request for `idleMs` and none in flight; returns how many ended. */
  expireIdle(): number {
    const now = this.clock();
    let ended = 0;
    for (const session of this.sessions.values()) {
      const seen = session.lastRequestAt;
      if (now - seen < this.limits.idleMs) continue;
      // A call waiting for its answer (an approval, a long tool) keeps its session: it is not idle.
      if (session.transport.inFlight > 0) {
        session.lastRequestAt = now;
        continue;
      }
      this.hooks.diagnostics(
        `mcp session ${session.id} of grant "${session.grant}" ended after ${Math.round((now - seen) / 60_000)} minutes without a request`,
      );
      void this.closeSession(session);
      ended++;
    }
    return ended;
  }

  /** Ends every live session of a grant (revoked). */
  async closeGrant(grant: string): Promise<number> {
    const doomed = [...this.sessions.values()].filter((s) => s.grant === grant);
    await Promise.all(doomed.map((s) => this.closeSession(s)));
    return doomed.length;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => this.closeSession(s)));
  }

  private async closeSession(session: ClientSession): Promise<void> {
    this.forget(session);
    await session.close().catch((err: Error) => this.hooks.diagnostics(`closing session: ${err.message}`));
  }

  /** The session is gone from every book, once; `closed` releases what it held. */
  private forget(session: ClientSession): void {
    if (!session.id || !this.sessions.delete(session.id)) return;
    const held = (this.perGrant.get(session.grant) ?? 1) - 1;
    if (held > 0) this.perGrant.set(session.grant, held);
    else this.perGrant.delete(session.grant);
    this.hooks.closed(session.id);
  }
}

/** Whether a POST body is (or, as a batch, holds) an initialize request. */
function hasInitialize(body: unknown): boolean {
  const isInit = (m: unknown) =>
    typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize';
  return Array.isArray(body) ? body.some(isInit) : isInit(body);
}

export function unknownTool(name: string): Error {
  return rpcError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
}
