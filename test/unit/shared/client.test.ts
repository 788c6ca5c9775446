import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client';
import { parseEvent, type GatehouseEvent } from '../../../shared/api/events';
import {
  ApiRequestError,
  operations,
  type EventStreamStatus,
  type OperationDef,
} from '../../../shared/api/operations';
import { buildRequest, pathParams } from '../../../shared/api/request';
import { callRecord } from '../../helpers/call-record';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeFetch(respond: (req: Seen) => Response) {
  const seen: Seen[] = [];
  const impl = (async (url: string, init: RequestInit = {}) => {
    const req: Seen = {
      url,
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    };
    seen.push(req);
    return respond(req);
  }) as typeof fetch;
  return { impl, seen };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const createHttpApi = (baseUrl: string, token: () => string, fetchImpl?: typeof fetch) =>
  createClient({ baseUrl, token, ...(fetchImpl ? { fetch: fetchImpl } : {}) });

describe('createClient: one generic client over the operations table', () => {
  it('has a function for every operation of the contract, and subscribe() for the events', () => {
    const api = createHttpApi('http://gw/api', () => 't');
    expect(Object.keys(api).sort()).toEqual([...Object.keys(operations), 'subscribe'].sort());
    for (const fn of Object.values(api)) expect(typeof fn).toBe('function');
  });

  it('takes a fixed token (the CLI’s admin token) as well as a function', async () => {
    const { impl, seen } = fakeFetch(() => json({ url: 'http://gw/#login=x' }));
    const api = createClient({ baseUrl: 'http://gw/api', token: 'admin', fetch: impl });
    expect(await api.createLoginUrl({})).toEqual({ url: 'http://gw/#login=x' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: 'http://gw/api/login-codes', body: '{}' });
    expect(seen[0]?.headers.authorization).toBe('Bearer admin');
  });

  it('substitutes path parameters (encoded) and sends the rest as a JSON body with the bearer token', async () => {
    const { impl, seen } = fakeFetch(() => json({ ok: true }));
    const api = createHttpApi('http://gw/api/', () => 'tok', impl);
    await api.answerApproval({ id: 'a/1 b', decision: 'approve', remember: { minutes: 15 } });
    expect(seen[0]).toEqual({
      url: 'http://gw/api/approvals/a%2F1%20b',
      method: 'POST',
      headers: {
        accept: 'application/json',
        authorization: 'Bearer tok',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ decision: 'approve', remember: { minutes: 15 } }),
    });
  });

  it('puts GET inputs in the query string, leaving out empty values', async () => {
    const { impl, seen } = fakeFetch(() => json({ calls: [] }));
    const api = createHttpApi('http://gw/api', () => 'tok', impl);
    const page = await api.listCalls({ limit: 50, status: 'denied,rate_limited', q: 'a b&c', server: '' });
    expect(page).toEqual({ calls: [] });
    expect(seen[0]?.url).toBe('http://gw/api/calls?limit=50&status=denied%2Crate_limited&q=a+b%26c');
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.body).toBeUndefined();
  });

  it('sends text bodies byte for byte with If-Match, and reads text responses with their ETag', async () => {
    const policy = '{\n  "version": "1",\n  "default": "deny"\n}\n';
    const { impl, seen } = fakeFetch((req) =>
      req.method === 'GET'
        ? new Response(policy, { headers: { etag: '"abc123"', 'content-type': 'application/json' } })
        : json({ etag: '"def"', version: 'def' }),
    );
    const api = createHttpApi('http://gw/api', () => 'tok', impl);
    const got = await api.getPolicy({});
    expect(got).toEqual({ text: policy, etag: '"abc123"', version: 'abc123' });
    await api.putPolicy({ text: policy, ifMatch: got.etag });
    expect(seen[1]).toMatchObject({ method: 'PUT', url: 'http://gw/api/policy', body: policy });
    expect(seen[1]?.headers['if-match']).toBe('"abc123"');
  });

  it('sends no token to a public operation', async () => {
    const { impl, seen } = fakeFetch(() => json({ token: 'session' }));
    const api = createHttpApi('http://gw/api', () => 'tok', impl);
    expect(await api.login({ code: 'one-time' })).toEqual({ token: 'session' });
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('throws an error carrying the status and the ApiErrorBody', async () => {
    const body = {
      error: 'the policy is not valid: 1 error',
      errors: [{ path: 'default', message: 'bad', line: 2 }],
    };
    const { impl } = fakeFetch(() => json(body, 400));
    const api = createHttpApi('http://gw/api', () => 'tok', impl);
    const err = (await api.putPolicy({ text: '{}' }).catch((e: unknown) => e)) as ApiRequestError;
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err.status).toBe(400);
    expect(err.body).toEqual(body);
    expect(err.message).toBe(body.error);
  });

  it('names the status when an error body is not the contract’s, and status 0 when the gateway is unreachable', async () => {
    const api = createHttpApi(
      'http://gw/api',
      () => 'tok',
      fakeFetch(() => new Response('<html>', { status: 502, statusText: 'Bad Gateway' })).impl,
    );
    await expect(api.getPause({})).rejects.toMatchObject({
      status: 502,
      message: 'the gateway answered 502 Bad Gateway',
    });
    const down = createHttpApi('http://gw/api', () => 'tok', (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch);
    await expect(down.getPause({})).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining('cannot be reached'),
    });
  });

  it('checks inputs before sending and outputs against the output schema', async () => {
    const { impl, seen } = fakeFetch(() => json({ paused: 'yes' }));
    const api = createHttpApi('http://gw/api', () => 'tok', impl);
    // @ts-expect-error: an invalid decision
    await expect(api.answerApproval({ id: 'x', decision: 'maybe' })).rejects.toMatchObject({ status: 400 });
    expect(seen).toHaveLength(0);
    await expect(api.getPause({})).rejects.toMatchObject({
      message: expect.stringContaining('does not match the contract'),
    });
  });

  it('maps every operation of the table to a request without hand-written code', () => {
    for (const [name, def] of Object.entries(operations) as [string, OperationDef][]) {
      const input: Record<string, unknown> = {};
      for (const param of pathParams(def.path)) input[param] = `${name}-${param}`;
      const req = buildRequest(def, input, 'http://gw/api', 'tok');
      expect(req.method).toBe(def.method);
      expect(req.url.startsWith(`http://gw/api${def.path.split('/:')[0]}`)).toBe(true);
      for (const param of pathParams(def.path)) expect(req.url).toContain(`${name}-${param}`);
    }
  });
});

/** A response body that stays open until the request is aborted, as a real event stream does. */
function streamOf(chunks: (string | Uint8Array)[], signal?: AbortSignal | null, keepOpen = false) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      if (!keepOpen) controller.close();
      else
        signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
}

const callData = callRecord('c1', { grant: 'g', session: 's', policyVersion: 'v' });
const sse = (seq: number, type: string, data: unknown) =>
  `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ seq, type, data })}\n\n`;

describe('subscribe: SSE over fetch with the bearer header', () => {
  it('parses events split across chunks, reconnects with Last-Event-ID, and never puts the token in the URL', async () => {
    const requests: Seen[] = [];
    const received: GatehouseEvent[] = [];
    let round = 0;
    const impl = (async (url: string, init: RequestInit = {}) => {
      requests.push({ url, method: 'GET', headers: Object.fromEntries(new Headers(init.headers).entries()) });
      round++;
      if (round === 1) {
        const text = `retry: 10\n: connected\n\n${sse(1, 'call', callData)}${sse(2, 'tools', { count: 3 })}`;
        return new Response(streamOf([text.slice(0, 37), text.slice(37, 120), text.slice(120)]));
      }
      return new Response(streamOf([sse(3, 'policy', { version: 'v2' })], init.signal, true));
    }) as typeof fetch;
    const statuses: EventStreamStatus[] = [];
    const controller = new AbortController();
    const done = createHttpApi('http://gw/api', () => 'secret-token', impl).subscribe(
      (e) => received.push(e),
      {
        signal: controller.signal,
        onStatus: (s) => statuses.push(s),
      },
    );
    await expect.poll(() => received.length).toBe(3);
    controller.abort();
    await expect(done).resolves.toBeUndefined();
    expect(received.map((e) => [e.seq, e.type])).toEqual([
      [1, 'call'],
      [2, 'tools'],
      [3, 'policy'],
    ]);
    expect(requests[0]?.url).toBe('http://gw/api/events');
    expect(requests.every((r) => !r.url.includes('secret-token'))).toBe(true);
    expect(requests[0]?.headers.authorization).toBe('Bearer secret-token');
    expect(requests[0]?.headers['last-event-id']).toBeUndefined();
    expect(requests[1]?.headers['last-event-id']).toBe('2');
    expect(statuses).toEqual([{ connected: true }, { connected: false }, { connected: true }]);
  });

  it('stops and reports a 401 instead of retrying', async () => {
    let calls = 0;
    const impl = (async () => {
      calls++;
      return new Response(JSON.stringify({ error: 'Unauthorized' }), { status: 401 });
    }) as typeof fetch;
    const api = createClient({ baseUrl: 'http://gw/api', token: () => 'old', fetch: impl, retryMs: 5 });
    const err = (await api.subscribe(() => {}).catch((e: unknown) => e)) as ApiRequestError;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(1);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err.status).toBe(401);
  });

  it('retries while the gateway cannot be reached, reporting why, until aborted', async () => {
    let calls = 0;
    const impl = (async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    }) as typeof fetch;
    const statuses: EventStreamStatus[] = [];
    const controller = new AbortController();
    const api = createClient({ baseUrl: 'http://gw/api', token: 't', fetch: impl, retryMs: 5 });
    const done = api.subscribe(() => {}, { signal: controller.signal, onStatus: (s) => statuses.push(s) });
    await expect.poll(() => calls).toBeGreaterThanOrEqual(3);
    controller.abort();
    await expect(done).resolves.toBeUndefined();
    expect(statuses[0]).toMatchObject({
      connected: false,
      error: {
        status: 0,
        message: 'the gateway cannot be reached (fetch failed: connect ECONNREFUSED 127.0.0.1:9)',
      },
    });
  });

  it('handles any chunking, including CRLF and a character split between chunks', async () => {
    const text =
      'id: 1\r\nevent: tools\r\ndata: {"seq":1,"type":"tools","data":{"count":1}}\r\n\r\n' +
      ': keep-alive\n\nid: 2\revent: policy\rdata: {"seq":2,"type":"policy","data":{"version":"é"}}\r\r: keep-alive\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const received: GatehouseEvent[] = [];
      const controller = new AbortController();
      const impl = (async () =>
        new Response(streamOf([bytes.slice(0, cut), bytes.slice(cut)]))) as typeof fetch;
      // The stream is read to its end once: the subscription ends when it does.
      await createClient({ baseUrl: 'http://gw/api', token: 't', fetch: impl }).subscribe(
        (e) => received.push(e),
        { signal: controller.signal, onStatus: ({ connected }) => connected || controller.abort() },
      );
      expect(received, `cut at ${cut}`).toEqual([
        { seq: 1, type: 'tools', data: { count: 1 } },
        { seq: 2, type: 'policy', data: { version: 'é' } },
      ]);
    }
  });

  it('drops events of unknown types or with data outside the contract', () => {
    expect(parseEvent('tools', JSON.stringify({ seq: 1, type: 'tools', data: { count: 2 } }))).toEqual({
      seq: 1,
      type: 'tools',
      data: { count: 2 },
    });
    expect(
      parseEvent('tools', JSON.stringify({ seq: 1, type: 'tools', data: { count: 'x' } })),
    ).toBeUndefined();
    expect(parseEvent('weird', JSON.stringify({ seq: 1, type: 'weird', data: {} }))).toBeUndefined();
    expect(parseEvent('call', 'not json')).toBeUndefined();
  });
});
