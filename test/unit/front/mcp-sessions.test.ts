// MCP sessions are bounded: an idle session ends (and says so through `closed`, which releases what it held), and a
// grant holds a limited number of sessions at once. McpSessions runs here behind a plain HTTP server, with its clock
// in the test's hands.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { sessionRoute } from '../../../electron/gateway/front/client-session.js';
import { McpSessions, type SessionLimits } from '../../../electron/gateway/front/mcp-sessions.js';

const servers: http.Server[] = [];
const hubs: McpSessions[] = [];
afterEach(async () => {
  for (const s of hubs.splice(0)) await s.closeAll();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A request the test answers when it likes: `test/wait` waits for `release()`. */
function gate() {
  let release: () => void = () => undefined;
  const done = new Promise<void>((r) => (release = r));
  return { done, release: () => release() };
}

async function setup(limits: Partial<SessionLimits>) {
  let now = 1_000_000;
  const closed: string[] = [];
  const diagnostics: string[] = [];
  const waiting = gate();
  const sessions = new McpSessions(
    {
      routes: () =>
        new Map([
          [
            'test/wait',
            sessionRoute(z.object({ method: z.literal('test/wait') }), async () => {
              await waiting.done;
              return {};
            }),
          ],
        ]),
      opened: () => undefined,
      closed: (id) => closed.push(id),
      diagnostics: (line) => diagnostics.push(line),
    },
    { ...limits, clock: () => now },
  );
  hubs.push(sessions);
  const server = http.createServer((req, res) => {
    void sessions.handle(req, res, String(req.headers['x-test-grant'] ?? 'g'));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const initialize = (grant = 'g') =>
    post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: LATEST_PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: 't', version: '1' },
        },
      },
      { 'x-test-grant': grant },
    );
  const open = async (grant = 'g') => {
    const res = await initialize(grant);
    expect(res.status).toBe(200);
    await res.text();
    return res.headers.get('mcp-session-id')!;
  };
  const ping = (id: string, grant = 'g') =>
    post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { 'mcp-session-id': id, 'x-test-grant': grant });
  return {
    sessions,
    closed,
    diagnostics,
    waiting,
    post,
    initialize,
    open,
    ping,
    url,
    advance: (ms: number) => (now += ms),
  };
}

describe('idle sessions expire', () => {
  it('a session with no request for idleMs ends: `closed` is told, its id is then not found', async () => {
    const t = await setup({ idleMs: 1000 });
    const a = await t.open();
    const b = await t.open();
    t.advance(600);
    expect((await t.ping(a)).status).toBe(200);
    t.advance(600);
    expect(t.sessions.expireIdle()).toBe(1);
    expect(t.closed).toEqual([b]);
    const gone = await t.ping(b);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({
      error: { message: expect.stringMatching(/^Session not found/) },
    });
    expect((await t.ping(a)).status).toBe(200);
    expect(t.sessions.size).toBe(1);
    expect(t.diagnostics.join('\n')).toContain(`mcp session ${b} of grant "g" ended after`);
  });

  it('ends an idle session’s GET stream', async () => {
    const t = await setup({ idleMs: 1000 });
    const id = await t.open();
    const stream = await fetch(t.url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'x-test-grant': 'g' },
    });
    expect(stream.status).toBe(200);
    t.advance(1000);
    t.sessions.expireIdle();
    const reader = stream.body!.getReader();
    for (;;) if ((await reader.read()).done) break;
    expect(t.closed).toEqual([id]);
  });

  it('a session with a request in flight is not idle, and gets a whole idle period after it', async () => {
    const t = await setup({ idleMs: 1000 });
    const id = await t.open();
    const answer = t.post({ jsonrpc: '2.0', id: 7, method: 'test/wait' }, { 'mcp-session-id': id });
    await new Promise((r) => setTimeout(r, 50));
    t.advance(5000);
    expect(t.sessions.expireIdle()).toBe(0);
    t.waiting.release();
    expect((await answer).status).toBe(200);
    t.advance(900);
    expect(t.sessions.expireIdle()).toBe(0);
    t.advance(200);
    expect(t.sessions.expireIdle()).toBe(1);
  });

  it('every initialize sweeps: idle sessions are gone before the new one counts', async () => {
    const t = await setup({ idleMs: 1000, perGrant: 2 });
    await t.open();
    await t.open();
    t.advance(1000);
    await t.open();
    expect(t.closed).toHaveLength(2);
    expect(t.sessions.countOf('g')).toBe(1);
  });

  it('sweeps on its own timer too', async () => {
    const t = await setup({ idleMs: 40 });
    const id = await t.open();
    t.advance(40);
    const deadline = Date.now() + 2000;
    while (t.closed.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(t.closed).toEqual([id]);
  });
});

describe('sessions per grant are capped', () => {
  it('refuses one initialize too many with 429 naming the cap and what to do; the others keep working', async () => {
    const t = await setup({ perGrant: 3 });
    const ids = [await t.open(), await t.open(), await t.open()];
    const refused = await t.initialize();
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { jsonrpc: string; error: { code: number; message: string } };
    expect(body.jsonrpc).toBe('2.0');
    expect(body.error.message).toContain('grant "g" already holds 3 MCP sessions');
    expect(body.error.message).toContain('(3)');
    expect(body.error.message).toContain('close the sessions you no longer use');
    expect(refused.headers.get('mcp-session-id')).toBeNull();
    expect(t.sessions.size).toBe(3);
    for (const id of ids) expect((await t.ping(id)).status).toBe(200);
    // Another grant has its own count.
    await t.open('other');
    // Closing one (DELETE) makes room.
    const del = await fetch(t.url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': ids[0]!, 'x-test-grant': 'g' },
    });
    expect(del.status).toBe(200);
    expect(t.closed).toContain(ids[0]);
    expect(t.sessions.countOf('g')).toBe(2);
    await t.open();
    expect(t.sessions.countOf('g')).toBe(3);
  });

  it('holds under a burst of concurrent initializes', async () => {
    const t = await setup({ perGrant: 5 });
    const answers = await Promise.all(Array.from({ length: 40 }, () => t.initialize()));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(35);
    await Promise.all(answers.map((r) => r.text()));
    expect(t.sessions.size).toBe(5);
  });

  it('a request that does not initialize leaves nothing behind and is not counted', async () => {
    const t = await setup({ perGrant: 1 });
    const stray = await t.post({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(stray.status).toBe(400);
    expect(t.sessions.size).toBe(0);
    await t.open();
    expect(t.sessions.countOf('g')).toBe(1);
  });
});
