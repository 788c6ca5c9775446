// Requests to an upstream sent straight on its transport, beside the SDK client that shares it: for the common
// tools/call (no progress to relay, not a task), the SDK client's request bookkeeping — timers, handler maps, and a zod
// type check of every incoming message before its own dispatch — was a visible share of the gateway's time per call
// (README "Performance"). Ids are strings of our own ("gatehouse-<n>"; the SDK client numbers its requests), so the
// two never mix: an answer to one of ours is taken here, everything else goes on to the client as before.
// Cancellation and timeouts behave as the SDK's do: a notifications/cancelled to the upstream, and the same errors.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type Handler = NonNullable<Transport['onmessage']>;

/** What handled a transport's property before a layer was put in front of it: an accessor, or a plain value. */
interface Behind {
  descriptor: PropertyDescriptor | undefined;
  value: unknown;
}

/**
 * Puts `front` in front of a transport's handler property: reading the property gives `front`, setting it sets what
 * is behind (an accessor already there — deliverInOrder's — keeps working through its own getter and setter).
 */
function layer(transport: Transport, key: 'onmessage' | 'onclose', front: unknown): Behind {
  const behindIt: Behind = {
    descriptor: Object.getOwnPropertyDescriptor(transport, key),
    value: undefined,
  };
  if (!behindIt.descriptor?.get) behindIt.value = (transport as unknown as Record<string, unknown>)[key];
  Object.defineProperty(transport, key, {
    configurable: true,
    enumerable: true,
    get: () => front,
    set: (handler: unknown) => {
      if (behindIt.descriptor?.set) behindIt.descriptor.set.call(transport, handler);
      else behindIt.value = handler;
    },
  });
  return behindIt;
}

/** The handler behind a layer, as it is now. */
function behind<T>(transport: Transport, b: Behind): T | undefined {
  return (b.descriptor?.get ? b.descriptor.get.call(transport) : b.value) as T | undefined;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

export class DirectRequests {
  private next = 0;
  private readonly pending = new Map<string, Pending>();

  /**
   * Takes its place in front of whatever handles the transport's messages and close, now or later (the SDK client,
   * behind deliverInOrder's deferral): our answers are taken at once, everything else goes on unchanged.
   */
  constructor(private readonly transport: Transport) {
    const dispatch: Handler = (message, extra) => {
      if (!this.take(message)) behind<Handler>(transport, messages)?.(message, extra);
    };
    const messages = layer(transport, 'onmessage', dispatch);
    const onClose = () => {
      this.rejectAll(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
      behind<() => void>(transport, closes)?.();
    };
    const closes = layer(transport, 'onclose', onClose);
  }

  /** Sends one request; resolves with its result (unvalidated: the caller checks it), rejects as the SDK would. */
  request(
    method: string,
    params: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<unknown> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = `gatehouse-${++this.next}`;
    return new Promise<unknown>((resolve, reject) => {
      const cancel = (reason: unknown) => {
        if (!this.pending.delete(id)) return;
        cleanup();
        this.transport
          .send({
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: id, reason: String(reason) },
          })
          .catch(() => undefined); // the connection is gone: nothing runs there any more
        reject(reason);
      };
      const onAbort = () => cancel(signal?.reason);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        resolve: (result) => {
          cleanup();
          resolve(result);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      // Sent first, the bookkeeping after: the answer cannot come before this returns to the event loop, and the
      // upstream starts on the request meanwhile.
      this.transport.send({ jsonrpc: '2.0', id, method, params }).catch((err: unknown) => {
        if (this.pending.delete(id)) {
          cleanup();
          reject(err);
        }
      });
      const timer = setTimeout(
        () => cancel(new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs })),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** An answer to one of ours: settled here (true); anything else is the SDK client's (false). */
  private take(message: JSONRPCMessage): boolean {
    if (!('id' in message) || typeof message.id !== 'string' || 'method' in message) return false;
    const waiting = this.pending.get(message.id);
    if (!waiting) return false;
    this.pending.delete(message.id);
    if ('error' in message) {
      const { code, message: text, data } = message.error;
      waiting.reject(McpError.fromError(code, text, data));
    } else {
      waiting.resolve(message.result);
    }
    return true;
  }

  private rejectAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}
