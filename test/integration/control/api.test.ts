// The control API as a script or the dashboard uses it: auth, origin, every route's status codes, policy ETags, SSE.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { operations } from '../../../shared/api/operations.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

describe('control API', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  const api = (route: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null) headers.set('authorization', `Bearer ${token ?? runtime.adminToken}`);
    return fetch(`${runtime.controlUrl}${route}`, { ...rest, headers });
  };
  const json = (body: unknown) => ({
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

  beforeAll(async () => {
    home = makeHome({
      servers: { ev: everythingStdio({ env: { EVERYTHING_SECRET: 'very-secret-value' } }) },
      policy: {
        version: '1',
        default: 'allow',
        tools: { 'get-sum': { limits: [{ counter: 'sums', window: 'hour', max: 5 }] } },
      },
    });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
  });
  afterAll(async () => {
    await gateway?.stop();
    home?.cleanup();
  });

  it('answers 401 on every route without a token or with a wrong one', async () => {
    for (const def of Object.values(operations)) {
      if (def.public) continue;
      const route = def.path.replace(/:(\w+)/g, 'x');
      for (const token of [null, 'wrong-token']) {
        const res = await api(route, { method: def.method, token });
        expect(res.status, `${def.method} ${route} with ${token}`).toBe(401);
      }
    }
    expect((await api('/events', { token: null })).status).toBe(401);
    expect((await api('/no-such-route', { token: null })).status).toBe(401);
    expect((await api('/no-such-route')).status).toBe(404);
  });

  it('answers 403 for a foreign Origin or Host, even with the admin token', async () => {
    const res = await api('/pause', { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    const own = await api('/pause', { headers: { origin: `http://127.0.0.1:${runtime.port}` } });
    expect(own.status).toBe(200);
  });

  it('serves the policy with an ETag, rejects an invalid one with paths (400) and a stale If-Match (409)', async () => {
    const got = await api('/policy');
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;
    const text = await got.text();
    expect(text).toBe(fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8'));

    const bad = await api('/policy', {
      method: 'PUT',
      body: '{"version":"1","default":"maybe","tools":{"x":{"limits":[{"window":"week"}]}}}',
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['default', 'tools.x.limits[0].window']),
    );

    const next =
      '{\n  "version": "1",\n  "default": "allow",\n  "x-note": "edited through the API",\n' +
      '  "tools": { "get-sum": { "limits": [{ "counter": "sums", "window": "hour", "max": 5 }] } }\n}\n';
    const put = await api('/policy', { method: 'PUT', body: next, headers: { 'if-match': etag } });
    expect(put.status).toBe(200);
    expect(fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8')).toBe(next);
    const stale = await api('/policy', { method: 'PUT', body: next, headers: { 'if-match': etag } });
    expect(stale.status).toBe(409);
  });

  it('answers 404 for an unknown approval and 400 for a malformed answer', async () => {
    const res = await api('/approvals/nope', { method: 'POST', ...json({ decision: 'approve' }) });
    expect(res.status).toBe(404);
    const invalid = await api('/approvals/nope', { method: 'POST', ...json({ decision: 'maybe' }) });
    expect(invalid.status).toBe(400);
  });

  it('lists servers with their secrets masked, and tools with rule, risk and quota', async () => {
    const servers = (await (await api('/servers')).json()) as {
      servers: { name: string; config: { env: object } }[];
    };
    expect(JSON.stringify(servers)).not.toContain('very-secret-value');
    expect(servers.servers[0]).toMatchObject({ name: 'ev', status: { state: 'ready' } });
    const tools = (await (await api('/tools')).json()) as {
      tools: { exposedName: string; rule: string; risk: { level: string } }[];
    };
    const sum = tools.tools.find((t) => t.exposedName === 'ev__get-sum');
    expect(sum).toMatchObject({
      rule: 'tools["get-sum"]',
      quota: [{ counter: 'sums', max: 5, remaining: 5 }],
    });
    expect((await api('/servers/nope')).status).toBe(404);
  });

  it('streams events in order with sequence numbers, read with fetch and the bearer header', async () => {
    const controller = new AbortController();
    const res = await api('/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const client = await connectClient(runtime.mcpUrl, home.tokens.test!);
    for (let i = 0; i < 3; i++) {
      await client.request(
        { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: `e${i}` } } },
        CallToolResultSchema,
      );
    }
    await api('/pause', { method: 'PUT', ...json({ paused: true }) });
    await api('/pause', { method: 'PUT', ...json({ paused: false }) });
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/event: call/g) ?? []).length < 6) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    await client.close();
    const seqs = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(seqs.length).toBeGreaterThanOrEqual(6);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const calls = [...text.matchAll(/^data: (.*)$/gm)].map(
      (m) => JSON.parse(m[1]!) as { type: string; data: { status: string } },
    );
    expect(
      calls
        .filter((c) => c.type === 'call')
        .map((c) => c.data.status)
        .slice(0, 2),
    ).toEqual(['pending', 'ok']);
  });

  it('pauses: calls go to approval, then resume', async () => {
    const client = await connectClient(runtime.mcpUrl, home.tokens.test!);
    const echo = () =>
      client.request(
        { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'p' } } },
        CallToolResultSchema,
      );
    expect(await (await api('/pause', { method: 'PUT', ...json({ paused: true }) })).json()).toEqual({
      paused: true,
      mode: 'approve',
    });
    const paused = echo();
    let approvals: { id: string; reason: string }[] = [];
    while (approvals.length === 0) {
      approvals = ((await (await api('/approvals')).json()) as { approvals: typeof approvals }).approvals;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(approvals[0]!.reason).toContain('Gatehouse is paused');
    await api(`/approvals/${approvals[0]!.id}`, { method: 'POST', ...json({ decision: 'deny' }) });
    const refused = await paused;
    expect((refused.content[0] as { text: string }).text).toContain('rejected by the user');
    expect(refused._meta?.['gatehouse/decision']).toMatchObject({ rule: 'pause' });
    await api('/pause', { method: 'PUT', ...json({ paused: false }) });
    expect((await echo()).isError).toBeFalsy();
    await client.close();
  });

  it('manages grants and settings', async () => {
    const added = await api('/grants', { method: 'POST', ...json({ name: 'script' }) });
    expect(added.status).toBe(200);
    const { token } = (await added.json()) as { token: string };
    const client = await connectClient(runtime.mcpUrl, token);
    const listed = (await (await api('/grants')).json()) as { grants: { name: string; sessions: number }[] };
    expect(listed.grants.find((g) => g.name === 'script')).toMatchObject({ sessions: 1 });
    expect((await api('/grants', { method: 'POST', ...json({ name: 'script' }) })).status).toBe(409);
    expect((await api('/grants/script', { method: 'DELETE' })).status).toBe(200);
    await expect(client.listTools()).rejects.toThrow();
    expect((await api('/grants/script', { method: 'DELETE' })).status).toBe(404);

    const settings = await api('/settings', { method: 'PUT', ...json({ logRetentionDays: 7 }) });
    expect(((await settings.json()) as { logRetentionDays: number }).logRetentionDays).toBe(7);
    expect((await api('/settings', { method: 'PUT', ...json({ logRetentionDays: 0 }) })).status).toBe(400);
    expect((await api('/settings', { method: 'PUT', ...json({ nonsense: 1 }) })).status).toBe(400);
  });

  it('exchanges a one-time login code for a dashboard token, once', async () => {
    const code = new URL(gateway.newLoginUrl()).hash.replace('#login=', '');
    const first = await api('/login', { method: 'POST', token: null, ...json({ code }) });
    expect(first.status).toBe(200);
    const { token } = (await first.json()) as { token: string };
    expect((await api('/pause', { token })).status).toBe(200);
    const again = await api('/login', { method: 'POST', token: null, ...json({ code }) });
    expect(again.status).toBe(401);
  });
});
