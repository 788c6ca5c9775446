// MCP sessions of the front door: one SDK Server and Streamable HTTP transport per client session, bound to its grant.
// The transport is the gateway's own (node-transport.ts: why, with figures); the Server is the SDK's.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { z } from 'zod';
import { parseCallToolRequest } from '../rpc/message-shapes.js';
import { readJsonBody } from './read-body.js';
import { cleanRpcError, rpcError, withCleanErrors } from '../rpc/rpc-error.js';
import { NodeStreamableTransport } from './node-transport.js';
import { SESSION_CAPABILITIES } from '../rpc/server-info.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  type CallToolResult,
  type CreateTaskResult,
  type JSONRPCMessage,
  type JSONRPCResultResponse,
  type RequestId,
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

interface Session {
  id: string;
  grant: string;
  scope?: string;
  /** The tools/calls answered without the SDK Server's dispatch (see callDirectly), by request id. */
  direct: Map<RequestId, AbortController>;
  server: Server;
  transport: NodeStreamableTransport;
}

/** Who calls which tool, as the gateway's callTool hook takes it (both ways a tools/call comes in). */
function callOf(session: Session, name: string): Parameters<SessionHooks['callTool']>[0] {
  return {
    grant: session.grant,
    session: session.id,
    name,
    ...(session.scope !== undefined ? { scope: session.scope } : {}),
  };
}

/** Whether server-to-client requests may travel with an answer (the client declared sampling or elicitation). */
function clientMayBeAsked(server: Server): boolean {
  const caps = server.getClientCapabilities();
  return caps?.sampling !== undefined || caps?.elicitation !== undefined;
}

/** A thrown error as the SDK's Protocol puts it into a JSON-RPC error answer. */
function errorBody(err: unknown): { code: number; message: string; data?: unknown } {
  const e = err as { code?: unknown; message?: unknown; data?: unknown };
  return {
    code: Number.isSafeInteger(e?.code) ? (e.code as number) : ErrorCode.InternalError,
    message: typeof e?.message === 'string' ? e.message : 'Internal error',
    ...(e?.data !== undefined ? { data: e.data } : {}),
  };
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
      direct: new Map(),
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
      clientMayBeAsked: () => clientMayBeAsked(server),
    });
    session.transport.onclose = () => {
      for (const call of session.direct.values()) call.abort(new Error('the session closed'));
      session.direct.clear();
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
      return this.hooks.callTool(callOf(session, request.params.name), request.params.arguments, {
        signal: extra.signal,
        requestId: extra.requestId,
        ...(sendProgress ? { sendProgress } : {}),
        ...(request.params.task ? { task: request.params.task } : {}),
      });
    });
    this.hooks.setup(server, {
      grant: session.grant,
      id: () => session.id,
      ...(session.scope !== undefined ? { scope: session.scope } : {}),
    });
    server.onerror = (err) => this.hooks.diagnostics(`mcp session ${session.id || '(new)'}: ${err.message}`);
    void server.connect(session.transport); // sets the transport's onmessage at once, to the Server's dispatch
    const toServer = session.transport.onmessage!;
    session.transport.onmessage = (message, extra) => {
      if (!this.callDirectly(session, message)) toServer(message, extra);
    };
    return session;
  }

  /**
   * The common tools/call — no progress token, not a task, from a client that cannot be asked anything meanwhile (so
   * its answer is plain JSON) — goes straight to the gateway and its answer straight to the transport, skipping the
   * SDK Server's dispatch and its second validation of a result the upstream client has validated already (about a
   * tenth of the gateway's time per call: README "Performance"). The request is validated with the same schema; the
   * answer and errors have the Server's form (errors cleaned as withCleanErrors does); a cancellation aborts the call
   * and leaves it unanswered, as the Server does. An invalid tools/call is answered here, for every client, with
   * -32602 and the problem in words. Anything else takes the Server's path. Returns whether the message was taken.
   */
  private callDirectly(session: Session, message: JSONRPCMessage): boolean {
    if (!('method' in message)) return false;
    if (message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (id !== undefined) session.direct.get(id)?.abort(new Error('cancelled by the client'));
      return false; // the Server hears it too: an id it does not know changes nothing there
    }
    if (message.method !== 'tools/call' || !('id' in message)) return false;
    const parsed = parseCallToolRequest(message);
    if (!parsed.success) {
      // Answered here for every client, as invalid params with the problem in words (the SDK Server would answer an
      // internal error carrying the schema's raw issues).
      const error = {
        code: ErrorCode.InvalidParams,
        message: `Invalid params for tools/call: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`,
      };
      session.transport
        .send({ jsonrpc: '2.0', id: message.id, error })
        .catch((err: unknown) => this.hooks.diagnostics(`mcp session ${session.id}: ${String(err)}`));
      return true;
    }
    if (clientMayBeAsked(session.server)) return false;
    const { params } = parsed.data;
    if (params.task !== undefined || params._meta?.progressToken !== undefined) return false;
    const id = message.id;
    const controller = new AbortController();
    session.direct.set(id, controller);
    let running: Promise<unknown>;
    try {
      running = this.hooks.callTool(callOf(session, params.name), params.arguments, {
        signal: controller.signal,
        requestId: id,
      });
    } catch (err) {
      running = Promise.reject(err);
    }
    void this.answerDirectly(session, id, controller, running);
    return true;
  }

  /** Sends a direct call's answer (unless it was cancelled) and forgets the call. Never rejects. */
  private async answerDirectly(
    session: Session,
    id: RequestId,
    controller: AbortController,
    running: Promise<unknown>,
  ): Promise<void> {
    let answer: JSONRPCMessage;
    try {
      answer = { jsonrpc: '2.0', id, result: (await running) as JSONRPCResultResponse['result'] };
    } catch (err) {
      answer = { jsonrpc: '2.0', id, error: errorBody(cleanRpcError(err)) };
    }
    try {
      if (!controller.signal.aborted) await session.transport.send(answer);
    } catch (err) {
      this.hooks.diagnostics(`mcp session ${session.id}: Failed to send response: ${String(err)}`);
    } finally {
      if (session.direct.get(id) === controller) session.direct.delete(id);
    }
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
