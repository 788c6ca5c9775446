// A Streamable HTTP server transport on Node's own request/response objects, replacing the SDK's for the gateway's
// client sessions. Why (bench/results, README "Performance"): the SDK's transport converts every request and
// response to web Request/Response objects and streams (@hono/node-server) — about half of the gateway's CPU per call
// in the profile. This one writes each answer in one go: a JSON body when nothing else can travel with the answer
// (no progress token, and a client that cannot be asked for sampling or elicitation), an SSE stream otherwise.
// It speaks the same protocol: session id header, protocol-version check, batches, 202 for notifications, a GET
// stream for server-initiated messages, DELETE to end the session. No resumability (no event store).
// A client that stops reading a stream is cut off once too much waits for it (a flood of an upstream's notifications
// must not pile up in the gateway's memory): the stream ends, and the client may open it again.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isInitializeRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { parseMessage } from '../rpc/message-shapes.js';

const MAX_BATCH = 100;
const KEEP_ALIVE_MS = 15_000;
/** Bytes written to a stream but not yet taken by the client, past which the stream ends. */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

interface PostStream {
  res: ServerResponse;
  sse: boolean;
  waiting: Set<RequestId>;
  answers: JSONRPCMessage[];
  batch: boolean;
}

/** Writes one SSE message, or ends the stream when the client has left too much unread. */
function writeEvent(res: ServerResponse, text: string): void {
  if (res.destroyed) return;
  if (res.writableLength > MAX_UNREAD_BYTES) return void res.destroy();
  res.write(text);
}

function writeJsonError(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

export class NodeStreamableTransport implements Transport {
  sessionId?: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];

  private readonly byRequest = new Map<RequestId, PostStream>();
  private standalone: ServerResponse | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private initialized = false;
  private closed = false;

  constructor(
    private readonly options: {
      newSessionId: () => string;
      onInitialized: (sessionId: string) => void;
      onDeleted: (sessionId: string) => void;
      /** Whether server-to-client requests may travel with an answer (the client declared sampling or elicitation). */
      clientMayBeAsked: () => boolean;
    },
  ) {}

  async start(): Promise<void> {}

  /** Requests of this session still waiting for their answer. */
  get inFlight(): number {
    return this.byRequest.size;
  }

  /** One HTTP request of this session; `body` is the parsed JSON of a POST. */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    if (req.method === 'POST') return this.post(req, res, body);
    if (req.method === 'GET') return this.get(req, res);
    if (req.method === 'DELETE') {
      if (!this.checkSession(req, res) || !this.checkVersion(req, res)) return;
      res.writeHead(200).end();
      if (this.sessionId) this.options.onDeleted(this.sessionId);
      void this.close();
      return;
    }
    res.writeHead(405, { allow: 'GET, POST, DELETE', 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null }),
    );
  }

  private checkSession(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.initialized) {
      writeJsonError(res, 400, -32000, 'Bad Request: Server not initialized');
      return false;
    }
    if (req.headers['mcp-session-id'] !== this.sessionId) {
      writeJsonError(res, 404, -32001, 'Session not found');
      return false;
    }
    return true;
  }

  private checkVersion(req: IncomingMessage, res: ServerResponse): boolean {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      writeJsonError(
        res,
        400,
        -32000,
        `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      );
      return false;
    }
    return true;
  }

  private post(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return writeJsonError(
        res,
        406,
        -32000,
        'Not Acceptable: Client must accept both application/json and text/event-stream',
      );
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return writeJsonError(
        res,
        415,
        -32000,
        'Unsupported Media Type: Content-Type must be application/json',
      );
    }
    const batch = Array.isArray(body);
    if (batch && body.length > MAX_BATCH) {
      return writeJsonError(res, 400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`);
    }
    const messages: JSONRPCMessage[] = [];
    for (const raw of batch ? body : [body]) {
      const parsed = parseMessage(raw);
      if (!parsed.success) return writeJsonError(res, 400, -32700, 'Parse error: Invalid JSON-RPC message');
      messages.push(parsed.data);
    }
    if (this.closed) return writeJsonError(res, 404, -32001, 'Session not found');
    // Only an initialize is parsed as one: every other message skips that schema.
    const initializing = messages.some(
      (m) => 'method' in m && m.method === 'initialize' && isInitializeRequest(m),
    );
    if (initializing) {
      if (this.initialized)
        return writeJsonError(res, 400, -32600, 'Invalid Request: Server already initialized');
      if (messages.length > 1) {
        return writeJsonError(
          res,
          400,
          -32600,
          'Invalid Request: Only one initialization request is allowed',
        );
      }
      this.sessionId = this.options.newSessionId();
      this.initialized = true;
      this.options.onInitialized(this.sessionId);
    } else if (!this.checkSession(req, res) || !this.checkVersion(req, res)) {
      return;
    }
    // The messages were validated above, so their shape alone tells a request (method and id) from the rest.
    const requests = messages.filter((m): m is JSONRPCRequest => 'method' in m && 'id' in m);
    const info = { requestInfo: { headers: req.headers as Record<string, string | string[] | undefined> } };
    if (requests.length === 0) {
      res.writeHead(202).end();
      for (const message of messages) this.onmessage?.(message, info);
      return;
    }
    for (const r of requests) {
      if (this.byRequest.has(r.id)) {
        return writeJsonError(
          res,
          409,
          -32600,
          `Invalid Request: request id ${String(r.id)} is already in flight`,
        );
      }
    }
    // Streaming is needed only when something besides the answer may travel on this response.
    const sse =
      this.options.clientMayBeAsked() ||
      requests.some(
        (r) =>
          (r.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta?.progressToken !==
          undefined,
      );
    const stream: PostStream = { res, sse, waiting: new Set(requests.map((r) => r.id)), answers: [], batch };
    for (const r of requests) this.byRequest.set(r.id, stream);
    if (sse) {
      res.writeHead(200, this.headers('text/event-stream'));
      res.flushHeaders();
    }
    res.on('close', () => {
      for (const id of stream.waiting) this.byRequest.delete(id);
    });
    for (const message of messages) this.onmessage?.(message, info);
  }

  private get(req: IncomingMessage, res: ServerResponse): void {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      return writeJsonError(res, 406, -32000, 'Not Acceptable: Client must accept text/event-stream');
    }
    if (!this.checkSession(req, res) || !this.checkVersion(req, res)) return;
    if (this.standalone)
      return writeJsonError(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    res.writeHead(200, this.headers('text/event-stream'));
    res.flushHeaders();
    this.standalone = res;
    this.keepAlive = setInterval(() => writeEvent(res, ': keep-alive\n\n'), KEEP_ALIVE_MS);
    res.on('close', () => {
      if (this.standalone === res) this.standalone = undefined;
      clearInterval(this.keepAlive);
    });
  }

  private headers(contentType: string): Record<string, string> {
    return {
      'content-type': contentType,
      'cache-control': 'no-cache, no-transform',
      ...(contentType === 'text/event-stream' ? { connection: 'keep-alive' } : {}),
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
    };
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    // Messages sent here come from the SDK's Server, well-formed: an answer is the one with a result or an error.
    const isAnswer = 'result' in message || 'error' in message;
    const requestId = isAnswer ? (message as { id: RequestId }).id : options?.relatedRequestId;
    const stream = requestId !== undefined ? this.byRequest.get(requestId) : undefined;
    if (!stream) {
      // Not tied to a live request: the GET stream, if the client holds one; otherwise there is nowhere to send it.
      if (!isAnswer && this.standalone)
        writeEvent(this.standalone, `event: message\ndata: ${JSON.stringify(message)}\n\n`);
      return;
    }
    if (stream.sse) writeEvent(stream.res, `event: message\ndata: ${JSON.stringify(message)}\n\n`);
    if (!isAnswer) return;
    stream.answers.push(message);
    stream.waiting.delete(requestId as RequestId);
    this.byRequest.delete(requestId as RequestId);
    if (stream.waiting.size > 0) return;
    if (stream.sse) {
      stream.res.end();
      return;
    }
    const payload = JSON.stringify(stream.batch ? stream.answers : stream.answers[0]);
    stream.res.writeHead(200, {
      ...this.headers('application/json'),
      'content-length': Buffer.byteLength(payload),
    });
    stream.res.end(payload);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.standalone?.end();
    for (const stream of new Set(this.byRequest.values())) stream.res.end();
    this.byRequest.clear();
    this.onclose?.();
  }
}
