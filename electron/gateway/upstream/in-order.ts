// Keeps an upstream's progress notifications ahead of the response that follows them.
// The SDK's Protocol runs a notification handler in a microtask but a response at once: when both arrive in one
// chunk, the response removes the progress handler first and the last progress is dropped ("unknown token").
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

type MessageHandler = NonNullable<Transport['onmessage']>;
type CloseHandler = NonNullable<Transport['onclose']>;

/**
 * Makes `transport` deliver each message, and its close, in a macrotask of its own, in arrival order (setImmediate
 * is FIFO and microtasks drain between callbacks), so each notification's handler has run before the next
 * message is looked at. Errors stay synchronous.
 */
export function deliverInOrder<T extends Transport>(transport: T): T {
  let onmessage: MessageHandler | undefined;
  let onclose: CloseHandler | undefined;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => (onmessage ? deferredMessage : undefined),
    set: (handler: MessageHandler | undefined) => (onmessage = handler),
  });
  Object.defineProperty(transport, 'onclose', {
    configurable: true,
    enumerable: true,
    get: () => (onclose ? deferredClose : undefined),
    set: (handler: CloseHandler | undefined) => (onclose = handler),
  });
  const deferredMessage: MessageHandler = (message, extra) => {
    setImmediate(() => onmessage?.(message, extra));
  };
  const deferredClose: CloseHandler = () => {
    setImmediate(() => onclose?.());
  };
  return transport;
}
