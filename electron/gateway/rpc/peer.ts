// One end of a JSON-RPC connection over an MCP SDK Transport — the gateway's own session layer, used alike for its
// client sessions (the server role) and its upstream connections (the client role). It sends requests and matches
// their answers, relays progress and cancellation, and hands each incoming request and notification to one handler
// in arrival order. What a message means is decided above it (front/client-session.ts, upstream/connection.ts); the
// SDK gives the transports, the types and the schemas. Why its own (README "Performance", ARCHITECTURE.md): a proxy
// forwards what it receives, so validating every message against every schema on both sides, as the SDK's Protocol
// does, was most of what a call cost beyond the wire.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  McpError,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type Progress,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { cleanRpcError } from './rpc-error.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Progress of the request: a progress token is added to its `_meta`. */
  onProgress?: (progress: Progress) => void;
  /** Each progress notification restarts the timeout. */
  resetTimeoutOnProgress?: boolean;
  /** Sent on the stream of this incoming request (Streamable HTTP). */
  relatedRequestId?: RequestId;
}

/** What an incoming request's handler may do besides answering: hear of cancellation, speak on its stream. */
interface IncomingContext {
  requestId: RequestId;
  signal: AbortSignal;
  notify: (notification: { method: string; params?: Record<string, unknown> }) => Promise<void>;
  request: (method: string, params: Record<string, unknown>, options?: RequestOptions) => Promise<unknown>;
}

export interface PeerHandlers {
  /** Answers one incoming request: the result, or a thrown error (sent as a JSON-RPC error). */
  request: (message: JSONRPCRequest, context: IncomingContext) => unknown;
  notification: (message: JSONRPCNotification) => void;
}

interface Outgoing {
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  onProgress?: (progress: Progress) => void;
  /** Restarts the timeout (a progress notification arrived), when the request asked for that. */
  touch?: () => void;
}

/** A thrown error as a JSON-RPC error body: its code when it has one, its own words. */
function errorBody(err: unknown): { code: number; message: string; data?: unknown } {
  const e = cleanRpcError(err) as { code?: unknown; message?: unknown; data?: unknown } | undefined;
  return {
    code: e && Number.isSafeInteger(e.code) ? (e.code as number) : ErrorCode.InternalError,
    message: typeof e?.message === 'string' ? e.message : 'Internal error',
    ...(e?.data !== undefined ? { data: e.data } : {}),
  };
}

export class RpcPeer {
  onclose?: () => void;
  onerror?: (error: Error) => void;

  private nextId = 0;
  private readonly outgoing = new Map<RequestId, Outgoing>();
  private readonly incoming = new Map<RequestId, AbortController>();
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly handlers: PeerHandlers,
  ) {
    transport.onmessage = (message) => this.receive(message);
    transport.onclose = () => this.ended();
    transport.onerror = (error) => this.onerror?.(error);
  }

  start(): Promise<void> {
    return this.transport.start();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    await this.transport.close();
    this.ended(); // a transport that does not call onclose on close() ends here all the same
  }

  /** Sends a request; resolves with its result as sent (the caller checks its shape), rejects as the SDK would. */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const sent = onProgress
      ? { ...params, _meta: { ...(params?._meta as object), progressToken: id } }
      : params;
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const cancel = (reason: unknown) => {
        if (!this.outgoing.delete(id)) return;
        cleanup();
        // The other side may stop working on it; a connection already gone has nothing running.
        this.send(
          {
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: id, reason: String(reason) },
          },
          options.relatedRequestId,
        ).catch(() => undefined);
        reject(reason);
      };
      const onAbort = () => cancel(signal?.reason);
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => cancel(new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs })),
          timeoutMs,
        );
      };
      this.outgoing.set(id, {
        resolve: (result) => {
          cleanup();
          resolve(result);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
        ...(onProgress ? { onProgress } : {}),
        ...(options.resetTimeoutOnProgress ? { touch: arm } : {}),
      });
      // Sent first, the bookkeeping after: the answer cannot come before this returns to the event loop.
      this.send(
        { jsonrpc: '2.0', id, method, ...(sent !== undefined ? { params: sent } : {}) },
        options.relatedRequestId,
      ).catch((err: unknown) => {
        if (this.outgoing.delete(id)) {
          cleanup();
          reject(err);
        }
      });
      arm();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  notify(
    notification: { method: string; params?: Record<string, unknown> },
    relatedRequestId?: RequestId,
  ): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.send({ jsonrpc: '2.0', ...notification } as JSONRPCNotification, relatedRequestId);
  }

  private send(message: JSONRPCMessage, relatedRequestId: RequestId | undefined): Promise<void> {
    const options: TransportSendOptions | undefined =
      relatedRequestId !== undefined ? { relatedRequestId } : undefined;
    return this.transport.send(message, options);
  }

  private receive(message: JSONRPCMessage): void {
    if ('method' in message) {
      if ('id' in message) return this.answer(message);
      return this.hear(message);
    }
    const waiting = this.outgoing.get(message.id as RequestId);
    if (!waiting) {
      this.onerror?.(new Error(`an answer to an unknown request id: ${JSON.stringify(message.id)}`));
      return;
    }
    this.outgoing.delete(message.id as RequestId);
    if ('error' in message) {
      const { code, message: text, data } = message.error;
      waiting.reject(McpError.fromError(code, text, data));
    } else {
      waiting.resolve(message.result);
    }
  }

  private hear(message: JSONRPCNotification): void {
    if (message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (id !== undefined) this.incoming.get(id)?.abort(new Error('cancelled by the other side'));
      return;
    }
    if (message.method === 'notifications/progress') {
      const { progressToken, ...progress } = (message.params ?? {}) as {
        progressToken?: RequestId;
      } & Progress;
      const waiting = progressToken !== undefined ? this.outgoing.get(progressToken) : undefined;
      if (waiting?.onProgress) {
        waiting.touch?.();
        waiting.onProgress(progress as Progress);
        return;
      }
    }
    try {
      this.handlers.notification(message);
    } catch (err) {
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Runs the handler of an incoming request and sends its answer — unless the request was cancelled meanwhile. */
  private answer(message: JSONRPCRequest): void {
    const id = message.id;
    const controller = new AbortController();
    this.incoming.set(id, controller);
    const context: IncomingContext = {
      requestId: id,
      signal: controller.signal,
      notify: (notification) => this.notify(notification, id),
      request: (method, params, options) =>
        this.request(method, params, { ...options, relatedRequestId: id }),
    };
    let running: unknown;
    try {
      running = this.handlers.request(message, context);
    } catch (err) {
      running = Promise.reject(err);
    }
    void this.respond(id, controller, running);
  }

  private async respond(id: RequestId, controller: AbortController, running: unknown): Promise<void> {
    let answer: JSONRPCMessage;
    try {
      answer = { jsonrpc: '2.0', id, result: ((await running) ?? {}) as Record<string, unknown> };
    } catch (err) {
      answer = { jsonrpc: '2.0', id, error: errorBody(err) };
    }
    if (this.incoming.get(id) === controller) this.incoming.delete(id);
    if (controller.signal.aborted || this.closed) return;
    try {
      await this.send(answer, undefined);
    } catch (err) {
      this.onerror?.(new Error(`could not send the answer to request ${String(id)}: ${String(err)}`));
    }
  }

  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    const waiting = [...this.outgoing.values()];
    this.outgoing.clear();
    for (const w of waiting) w.reject(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
    for (const c of this.incoming.values()) c.abort(new Error('the connection closed'));
    this.incoming.clear();
    this.onclose?.();
  }
}
