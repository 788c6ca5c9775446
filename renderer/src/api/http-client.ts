// The dashboard's client of the control API: ONE generic implementation over the operations table of
// shared/api/operations.ts (no hand-written fetch per operation), and the SSE event stream read with fetch.
import type { z } from 'zod';
import { EVENT_TYPES, EventData, type GatehouseEvent } from '../../../shared/api/events';
import {
  ApiErrorBody,
  operations,
  type GatehouseApi,
  type OperationDef,
  type OperationName,
} from '../../../shared/api/operations';
import { buildRequest, textResponseOutput } from './request';
import { createSseParser } from './sse-parser';

/** A failed control request: the HTTP status (0 when the gateway could not be reached) and the error body. */
export class ApiRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error);
    this.name = 'ApiRequestError';
  }
}

export type TokenSource = () => string | undefined;

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
  return new ApiRequestError(name, 0, { error: `the gateway cannot be reached (${(err as Error).message})` });
}

async function invoke(
  name: OperationName,
  def: OperationDef,
  input: unknown,
  baseUrl: string,
  getToken: TokenSource,
  fetchImpl: typeof fetch,
): Promise<unknown> {
  const parsedInput = def.input.safeParse(input ?? {});
  if (!parsedInput.success) {
    const errors = parsedInput.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    throw new ApiRequestError(name, 400, { error: `invalid input for ${name}`, errors });
  }
  // The raw input goes on the wire (the server parses it again); defaults and transforms stay the server's business.
  const request = buildRequest(def, (input ?? {}) as Record<string, unknown>, baseUrl, getToken());
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
    const errors = output.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    throw new ApiRequestError(name, res.status, {
      error: `the gateway's answer to ${name} does not match the contract`,
      errors,
    });
  }
  return output.data;
}

export function createHttpApi(
  baseUrl: string,
  getToken: TokenSource,
  fetchImpl: typeof fetch = fetch,
): GatehouseApi {
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, def] of Object.entries(operations) as [OperationName, OperationDef][]) {
    api[name] = (input) => invoke(name, def, input, baseUrl, getToken, fetchImpl);
  }
  return api as GatehouseApi;
}

/** Parses one SSE message of /api/events into a typed event; undefined for unknown types or invalid data. */
export function parseEvent(type: string, data: string): GatehouseEvent | undefined {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const envelope = json as { seq?: unknown; type?: unknown; data?: unknown };
  if (typeof envelope.seq !== 'number' || envelope.type !== type) return undefined;
  const schema = EventData[type as keyof typeof EventData] as z.ZodType;
  const parsed = schema.safeParse(envelope.data);
  if (!parsed.success) return undefined;
  return { seq: envelope.seq, type, data: parsed.data } as GatehouseEvent;
}

export interface EventStreamStatus {
  connected: boolean;
  /** Set when the stream failed; `status` 401 means the token is no longer valid (no retry then). */
  error?: ApiRequestError;
}

export interface SubscribeOptions {
  fetchImpl?: typeof fetch;
  /** Delay before a reconnect when the server named none (`retry:`). */
  retryMs?: number;
  onStatus?: (status: EventStreamStatus) => void;
}

/**
 * Streams GET /api/events with the bearer header and reconnects with Last-Event-ID, so no event still buffered by the
 * gateway is missed. Returns the function that stops it. A 401 stops the stream and is reported to `onError`.
 */
export function subscribeEvents(
  baseUrl: string,
  getToken: TokenSource,
  onEvent: (event: GatehouseEvent) => void,
  onError: (error: ApiRequestError) => void,
  options: SubscribeOptions = {},
): () => void {
  const fetchImpl = options.fetchImpl ?? fetch;
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let retryMs = options.retryMs ?? 2000;
  let stopped = false;

  const connect = async (): Promise<boolean> => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl.replace(/\/+$/, '')}/events`, { headers, signal: controller.signal });
    } catch (err) {
      if (!stopped) onError(unreachable('events', err));
      return true;
    }
    if (!res.ok || !res.body) {
      const error = new ApiRequestError('events', res.status, await errorBody(res));
      onError(error);
      return res.status !== 401 && res.status !== 403;
    }
    options.onStatus?.({ connected: true });
    const parser = createSseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) {
          if (message.id !== undefined) lastEventId = message.id;
          const event = parseEvent(message.event, message.data);
          if (event) onEvent(event);
        }
        if (parser.retryMs !== undefined) retryMs = parser.retryMs;
      }
    } catch (err) {
      if (!stopped) onError(unreachable('events', err));
    }
    return true;
  };

  void (async () => {
    while (!stopped) {
      const retry = await connect();
      if (stopped) break;
      options.onStatus?.({ connected: false });
      if (!retry) break;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  })();

  return () => {
    stopped = true;
    controller.abort();
  };
}
