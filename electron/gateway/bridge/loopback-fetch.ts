// The `fetch` the bridge gives the SDK's Streamable HTTP client for its requests to the gateway: node:http with one
// keep-alive agent, answers as the platform's own Response objects. Why (README "Performance"): in a profile of the
// bridge, Node's built-in fetch (undici, its wasm HTTP parser and web streams) took about a third of the bridge's CPU
// per call — more than everything else the bridge does. This one reads a JSON answer in one piece and hands an SSE
// answer on as a web stream, as fetch would. Redirects are never followed (the SDK asks for "manual" and decides);
// anything but plain http, or a body that is not a string, goes to the platform's fetch.
import http from 'node:http';
import { Readable } from 'node:stream';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function responseHeaders(headers: http.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) out.append(name, v);
    else if (value !== undefined) out.set(name, value);
  }
  return out;
}

/**
 * The requests in flight under each signal, with one abort listener per signal: the SDK gives every request of a
 * session the same signal, and a listener per request would pile up on it.
 */
const inFlight = new WeakMap<AbortSignal, Set<http.ClientRequest>>();
function follow(signal: AbortSignal, req: http.ClientRequest): void {
  let requests = inFlight.get(signal);
  if (!requests) {
    const set = (requests = new Set());
    inFlight.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        for (const r of set) r.destroy(abortReason(signal) as Error);
      },
      { once: true },
    );
  }
  requests.add(req);
  req.once('close', () => requests.delete(req));
}

/** A status that carries no body by definition: the Response constructor refuses one. */
const BODILESS = new Set([101, 204, 205, 304]);

export const loopbackFetch: typeof fetch = (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : input);
  if (url.protocol !== 'http:' || input instanceof Request) return fetch(input, init);
  if (init.body != null && typeof init.body !== 'string') return fetch(input, init);
  const body = init.body ?? undefined;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const status = res.statusCode ?? 502;
      const meta = { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res.headers) };
      if (BODILESS.has(status) || init.method === 'HEAD') {
        res.resume();
        return resolve(new Response(null, meta));
      }
      if ((res.headers['content-type'] ?? '').includes('text/event-stream')) {
        // A stream: its bytes as they come; aborting the request (or cancelling the body) ends it.
        return resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, meta));
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(new Response(chunks.length ? Buffer.concat(chunks) : null, meta)));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (signal) follow(signal, req);
    req.end(body);
  });
};
