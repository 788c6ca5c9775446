// The one client of the control API (DESIGN.md §7) for every face — the CLI in Node 20 and the dashboard in a browser:
// one generic implementation over the operations table, and subscribe() for the events. shared/ otherwise holds no
// runtime logic beyond parsing; this is the contract's own code, and it lives here because both faces import it and
// neither may import the other's folder. It needs only fetch, and eventsource-parser to read the event stream.
import { createParser } from 'eventsource-parser';
import { parseEvent, type GatehouseEvent } from './events.js';
import {
  ApiErrorBody,
  ApiRequestError,
  operations,
  type GatehouseApi,
  type OperationDef,
  type OperationName,
  type SubscribeOptions,
} from './operations.js';
import { buildRequest, textResponseOutput } from './request.js';

export interface ClientOptions {
  /** The control API's base URL, e.g. `http://127.0.0.1:7451/api` (runtime.json's `controlUrl`). */
  baseUrl: string;
  /** The bearer token: fixed (the CLI's admin token) or read at each request (the dashboard's session token). */
  token: string | (() => string | undefined);
  fetch?: typeof fetch;
  /** Delay before the event stream reconnects while the gateway has named none (`retry:`). */
  retryMs?: number;
}

async function errorBody(res: Response): Promise<ApiErrorBody> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = ApiErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON (a proxy's page, an empty body): the status line below says what happened.
  }
  return { error: `the gateway answered ${res.status} ${res.statusText}`.trim() };
}

function unreachable(name: string, err: unknown): ApiRequestError {
  const { message, cause } = err as Error;
  // Node's fetch says only "fetch failed"; its cause names the refused connection.
  const why = cause instanceof Error ? `${message}: ${cause.message}` : message;
  return new ApiRequestError(name, 0, { error: `the gateway cannot be reached (${why})` });
}

function issuesOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ApiErrorBody['errors'] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function createClient(options: ClientOptions): GatehouseApi {
  const fetchImpl = options.fetch ?? fetch;
  const { token } = options;
  const tokenOf = typeof token === 'function' ? token : () => token;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function invoke(name: OperationName, def: OperationDef, input: unknown): Promise<unknown> {
    const parsedInput = def.input.safeParse(input ?? {});
    if (!parsedInput.success) {
      throw new ApiRequestError(name, 400, {
        error: `invalid input for ${name}`,
        errors: issuesOf(parsedInput.error.issues),
      });
    }
    // The raw input goes on the wire (the server parses it again); defaults and transforms stay the server's business.
    const request = buildRequest(def, (input ?? {}) as Record<string, unknown>, base, tokenOf());
    let res: Response;
    try {
      res = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
    } catch (err) {
      throw unreachable(name, err);
    }
    if (!res.ok) throw new ApiRequestError(name, res.status, await errorBody(res));
    const raw =
      def.textBody === 'response' || def.textBody === 'both'
        ? textResponseOutput(await res.text(), (h) => res.headers.get(h))
        : await res.json();
    const output = def.output.safeParse(raw);
    if (!output.success) {
      throw new ApiRequestError(name, res.status, {
        error: `the gateway's answer to ${name} does not match the contract`,
        errors: issuesOf(output.error.issues),
      });
    }
    return output.data;
  }

  async function subscribe(
    onEvent: (event: GatehouseEvent) => void,
    { signal, onStatus }: SubscribeOptions = {},
  ): Promise<void> {
    let lastEventId: string | undefined;
    let retryMs = options.retryMs ?? 2000;

    /** One connection, read to its end; what broke it, if anything did. */
    const connect = async (): Promise<ApiRequestError | undefined> => {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      const bearer = tokenOf();
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      let res: Response;
      try {
        res = await fetchImpl(`${base}/events`, { headers, ...(signal ? { signal } : {}) });
      } catch (err) {
        return unreachable('events', err);
      }
      if (!res.ok || !res.body) return new ApiRequestError('events', res.status, await errorBody(res));
      onStatus?.({ connected: true });
      const parser = createParser({
        onEvent: (message) => {
          if (message.id !== undefined) lastEventId = message.id;
          const event = parseEvent(message.event ?? 'message', message.data);
          if (event) onEvent(event);
        },
        onRetry: (ms) => {
          retryMs = ms;
        },
      });
      const reader = res.body.getReader();
      // A fetch that does not end its body on abort still stops here.
      const stop = () => void reader.cancel().catch(() => undefined);
      signal?.addEventListener('abort', stop, { once: true });
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return undefined;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch (err) {
        return unreachable('events', err);
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    };

    while (!signal?.aborted) {
      const error = await connect();
      if (signal?.aborted) return;
      onStatus?.({ connected: false, ...(error ? { error } : {}) });
      if (error && (error.status === 401 || error.status === 403)) throw error;
      await pause(retryMs, signal);
    }
  }

  const api: Record<string, unknown> = { subscribe };
  for (const [name, def] of Object.entries(operations) as [OperationName, OperationDef][]) {
    api[name] = (input: unknown) => invoke(name, def, input);
  }
  return api as GatehouseApi;
}
