// The bridge's fetch on node:http: answers as Response objects the SDK's client reads as it reads fetch's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackFetch } from '../../../electron/gateway/bridge/loopback-fetch.js';

describe('loopbackFetch', () => {
  let server: http.Server;
  let base: string;
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/json') {
          res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-1' });
          res.end(JSON.stringify({ echoed: body }));
        } else if (req.url === '/accepted') {
          res.writeHead(202).end();
        } else if (req.url === '/sse') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: one\n\n');
          setTimeout(() => res.end('data: two\n\n'), 50);
        } else if (req.url === '/forever') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: first\n\n');
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends method, headers and body, and reads a JSON answer with its headers', async () => {
    const res = await loopbackFetch(`${base}/json`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer t' }),
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBe('s-1');
    expect(await res.json()).toEqual({ echoed: '{"a":1}' });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(last.headers.authorization).toBe('Bearer t');
    expect(last.headers['content-length']).toBe('7');
  });

  it('answers 202 without a body, and an error status with its text', async () => {
    const accepted = await loopbackFetch(`${base}/accepted`, { method: 'POST', body: '{}' });
    expect(accepted.status).toBe(202);
    expect(await accepted.text()).toBe('');
    const missing = await loopbackFetch(`${base}/missing`);
    expect(missing.ok).toBe(false);
    expect(await missing.text()).toBe('nope');
  });

  it('streams an SSE answer as it comes', async () => {
    const res = await loopbackFetch(`${base}/sse`);
    expect(await res.text()).toBe('data: one\n\ndata: two\n\n');
  });

  it('ends a stream when its signal aborts, and refuses at once when it already has', async () => {
    const controller = new AbortController();
    const res = await loopbackFetch(`${base}/forever`, { signal: controller.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    controller.abort(new Error('stop'));
    await expect(reader.read()).rejects.toThrow();
    await expect(loopbackFetch(`${base}/json`, { signal: controller.signal })).rejects.toThrow('stop');
  });

  it('fails with the connection error code when nobody listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(loopbackFetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
