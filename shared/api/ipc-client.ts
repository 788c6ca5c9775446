// The client of the contract over the Electron IPC bridge: the same GatehouseApi as client.ts over HTTP, for the app's
// own window, where the preload exposes `window.gatehouse` (invoke and on, nothing else). The channel is the
// credential: the main process answers only its own windows, so there is no sign-in and no token here.
import { parseEvent, type GatehouseEvent } from './events.js';
import {
  ApiRequestError,
  operations,
  type ApiErrorBody,
  type GatehouseApi,
  type OperationDef,
  type OperationName,
  type SubscribeOptions,
} from './operations.js';

/** What one invoke answers: the operation's output, or the status and error body the HTTP API would have sent. */
export type InvokeResult = { ok: true; output: unknown } | { ok: false; status: number; body: ApiErrorBody };

/** What the preload exposes as `window.gatehouse`. */
export interface GatehouseBridge {
  invoke(operation: string, input: unknown): Promise<InvokeResult>;
  /** Receives each event of the gateway (`{seq, type, data}`, as over SSE) until the returned function is called. */
  on(listener: (event: unknown) => void): () => void;
}

export function createIpcClient(bridge: GatehouseBridge): GatehouseApi {
  async function invoke(name: OperationName, def: OperationDef, input: unknown): Promise<unknown> {
    const result = await bridge.invoke(name, input ?? {});
    if (!result.ok) throw new ApiRequestError(name, result.status, result.body);
    // The main process checked the output against the same schema; parsing again applies its transforms here.
    return def.output.parse(result.output);
  }

  function subscribe(
    onEvent: (event: GatehouseEvent) => void,
    { signal, onStatus }: SubscribeOptions = {},
  ): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    const stop = bridge.on((raw) => {
      const envelope = raw as { type?: unknown };
      const event = parseEvent(String(envelope.type), JSON.stringify(raw));
      if (event) onEvent(event);
    });
    onStatus?.({ connected: true });
    return new Promise((resolve) => {
      signal?.addEventListener(
        'abort',
        () => {
          stop();
          resolve();
        },
        { once: true },
      );
    });
  }

  const api: Record<string, unknown> = { subscribe };
  for (const [name, def] of Object.entries(operations) as [OperationName, OperationDef][]) {
    api[name] = (input: unknown) => invoke(name, def, input);
  }
  return api as GatehouseApi;
}
