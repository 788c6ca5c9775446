// The front door under raw HTTP: authentication, Host/Origin checks, body limit, malformed JSON-RPC.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function raw(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent: false,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/mcp',
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('the front door', () => {
  let home: TestHome;
  let stop: () => Promise<void>;
  let port: number;
  let auth: Record<string, string>;

  beforeAll(async () => {
    home = makeHome({
      grants: ['test', 'other'],
      servers: { ev: everythingStdio() },
      policy: { version: '1', default: 'allow', tools: { 'get-sum': { action: 'deny' } } },
    });
    const started = await startGateway(home, ['ev']);
    stop = () => started.gateway.stop();
    port = started.runtime.port;
    auth = { ...mcpHeaders, authorization: `Bearer ${home.tokens.test}` };
  });
  afterAll(async () => {
    await stop?.();
    home?.cleanup();
  });

  it('answers 401 without a token and with a wrong one', async () => {
    const none = await raw(port, { headers: mcpHeaders, body: initialize });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    const wrong = await raw(port, {
      headers: { ...mcpHeaders, authorization: 'Bearer gh_not-a-real-token' },
      body: initialize,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('unknown or revoked grant token');
  });

  it('does not accept a grant name header without the admin token', async () => {
    const res = await raw(port, { headers: { ...auth, 'x-gatehouse-grant': 'test' }, body: initialize });
    expect(res.status).toBe(401);
  });

  it('answers 403 for a foreign Origin and a foreign Host, before authentication', async () => {
    const origin = await raw(port, { headers: { ...auth, origin: 'http://evil.example' }, body: initialize });
    expect(origin.status).toBe(403);
    const host = await raw(port, { headers: { ...auth, host: `evil.example:${port}` }, body: initialize });
    expect(host.status).toBe(403);
    const rebinding = await raw(port, {
      headers: { ...mcpHeaders, host: 'attacker.test' },
      body: initialize,
    });
    expect(rebinding.status).toBe(403);
  });

  it('accepts its own origin and a valid grant', async () => {
    const res = await raw(port, {
      headers: { ...auth, origin: `http://127.0.0.1:${port}` },
      body: initialize,
    });
    expect(res.status).toBe(200);
    expect(res.headers['mcp-session-id']).toMatch(/[0-9a-f-]{36}/);
  });

  it('answers 413 for an oversize body', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(5 * 1024 * 1024) },
    });
    const res = await raw(port, { headers: auth, body: big });
    expect(res.status).toBe(413);
    const declared = await raw(port, {
      headers: { ...auth, 'content-length': String(Buffer.byteLength(big)) },
      body: big,
    });
    expect(declared.status).toBe(413);
  });

  it('answers 200 malformed bodies with JSON-RPC errors and keeps serving', async () => {
    const bodies = [
      '',
      '{',
      'null',
      '[]',
      '{"jsonrpc":"1.0"}',
      '{"jsonrpc":"2.0","id":1}',
      '{"jsonrpc":"2.0","method":7,"id":1}',
      '\u0000\u0001',
      '[{"jsonrpc":"2.0"},{}]',
      '{"jsonrpc":"2.0","id":{},"method":"tools/list"}',
    ];
    for (let i = 0; i < 200; i++) {
      const body = bodies[i % bodies.length]! + (i >= bodies.length ? ' '.repeat(i % 7) : '');
      const res = await raw(port, { headers: auth, body });
      expect(res.status, `body ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.parse(res.body)).toMatchObject({
        jsonrpc: '2.0',
        error: { code: expect.any(Number) as unknown },
      });
    }
    const client = await connectClient(`http://127.0.0.1:${port}/mcp`, home.tokens.test!);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('ev__echo');
    await client.close();
  });

  it('decides each message of a JSON-RPC batch on its own', async () => {
    const opened = await raw(port, { headers: auth, body: initialize });
    const session = {
      ...auth,
      'mcp-session-id': opened.headers['mcp-session-id'] as string,
      'mcp-protocol-version': '2025-03-26',
    };
    await raw(port, { headers: session, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}' });
    const batch = await raw(port, {
      headers: session,
      body: JSON.stringify([
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'ev__echo', arguments: { message: 'a' } },
        },
        {
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/call',
          params: { name: 'ev__get-sum', arguments: { a: 1, b: 2 } },
        },
      ]),
    });
    // Either response mode is the protocol's: one JSON array, or one SSE event per answer.
    const answers = (
      String(batch.headers['content-type']).startsWith('application/json')
        ? JSON.parse(batch.body)
        : [...batch.body.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as unknown)
    ) as { id: number; result: { content: { text: string }[] } }[];
    const byId = new Map(answers.map((a) => [a.id, a.result.content[0]!.text]));
    expect(byId.get(2)).toBe('Echo: a');
    expect(byId.get(3)).toBe('Gatehouse denied ev__get-sum: denied by policy rule "get-sum"');
  });

  it('answers 404 for an unknown session and 403 when another grant uses a session', async () => {
    const unknown = await raw(port, {
      headers: { ...auth, 'mcp-session-id': '00000000-0000-0000-0000-000000000000' },
      body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    });
    expect(unknown.status).toBe(404);
    const opened = await raw(port, { headers: auth, body: initialize });
    const session = opened.headers['mcp-session-id'] as string;
    const foreign = await raw(port, {
      headers: { ...mcpHeaders, authorization: `Bearer ${home.tokens.other}`, 'mcp-session-id': session },
      body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('another grant');
  });
});
