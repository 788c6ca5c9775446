// GET /api/health and GET /api/metrics for operators: behind the admin token, Prometheus' text format, the figures
// counting real calls through a real upstream, and degraded health naming what does not work.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  openedGateways,
  startGateway,
} from '../../helpers/gateway-fixture.js';
import { until } from './otlp-receiver.js';

const opened = openedGateways();
afterEach(() => opened.closeAll());

/** The value of one sample line of the text format, e.g. `gatehouse_upstreams{state="ready"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health and metrics', () => {
  it('answer only with the admin token, and count calls by decision and status', async () => {
    const home = makeHome({
      servers: { ev: everythingStdio() },
      policy: { version: '1', default: 'allow', tools: { 'get-sum': { action: 'deny', reason: 'no sums' } } },
    });
    const { gateway, runtime } = await startGateway(home, ['ev']);
    const client = await connectClient(runtime.mcpUrl, home.tokens.test as string);
    opened.track(home, gateway, client);
    for (const route of ['/health', '/metrics']) {
      expect((await fetch(`${runtime.controlUrl}${route}`)).status, route).toBe(401);
      const wrong = { headers: { authorization: 'Bearer not-the-token' } };
      expect((await fetch(`${runtime.controlUrl}${route}`, wrong)).status, route).toBe(401);
    }

    for (let i = 0; i < 7; i++) await client.callTool({ name: 'ev__echo', arguments: { message: `m${i}` } });
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } });

    const res = await fetch(`${runtime.controlUrl}/metrics`, {
      headers: { authorization: `Bearer ${runtime.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'gatehouse_calls_total{decision="allow",status="ok"}')).toBe(7);
    expect(sample(text, 'gatehouse_calls_total{decision="deny",status="denied"}')).toBe(3);
    expect(sample(text, 'gatehouse_call_duration_seconds_count{decision="allow"}')).toBe(7);
    expect(sample(text, 'gatehouse_call_duration_seconds_bucket{le="+Inf",decision="allow"}')).toBe(7);
    expect(sample(text, 'gatehouse_approvals_waiting')).toBe(0);
    expect(sample(text, 'gatehouse_upstreams{state="ready"}')).toBe(1);
    expect(sample(text, 'gatehouse_upstreams{state="failed"}')).toBe(0);
    expect(sample(text, 'gatehouse_counter_backend{backend="local",state="local"}')).toBe(1);
    expect(sample(text, 'gatehouse_otlp_buffered_records')).toBe(0);
    expect(sample(text, 'gatehouse_otlp_dropped_records_total')).toBe(0);
    expect(text).toContain('# TYPE gatehouse_otlp_exported_records_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain('gatehouse_otlp_up{'); // no endpoint configured

    // The one client of the contract reads both.
    const api = createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
    expect((await api.getMetrics({})).text).toContain('gatehouse_calls_total');
    expect(await api.getHealth({})).toMatchObject({
      status: 'ok',
      reasons: [],
      upstreams: [{ name: 'ev', state: 'ready' }],
      approvalsWaiting: 0,
      log: { writable: true },
      counters: { backend: 'local', state: 'local' },
    });
  }, 60_000);

  it('is degraded, with the reasons, when an upstream failed, the log cannot be written or OTLP fails', async () => {
    const home = makeHome({
      servers: {
        ev: everythingStdio(),
        broken: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
      },
      // A port nothing listens on (the gateway's own port range is not used by anything else in the test).
      settings: { otlp: { endpoint: 'http://127.0.0.1:9/' } },
    });
    const { gateway, runtime } = await startGateway(home, ['ev']);
    const client = await connectClient(runtime.mcpUrl, home.tokens.test as string);
    opened.track(home, gateway, client);
    const api = createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
    await client.callTool({ name: 'ev__echo', arguments: { message: 'to be exported' } });
    const broken = () => gateway.upstreamStatus().find((s) => s.name === 'broken');
    await until(() => broken()?.state !== 'starting', 10_000, 'the upstream to fail');
    // The log folder replaced by a file: no line can be written (a mode would not stop root, who runs CI here).
    const logs = path.join(home.home, 'logs');
    fs.rmSync(logs, { recursive: true });
    fs.writeFileSync(logs, '');
    const health = await api.getHealth({});
    expect(health.status).toBe('degraded');
    expect(health.log.writable).toBe(false);
    const reasons = health.reasons.join('\n');
    expect(reasons).toMatch(/upstream "broken" is (failed|restarting)/);
    expect(reasons).toContain(`the call log (${logs}) cannot be written`);
    expect(health.otlp).toMatchObject({ endpoint: 'http://127.0.0.1:9/v1/logs' });
    let latest = health;
    const deadline = Date.now() + 15_000; // the exporter's own quick retries take about 8 s
    while (latest.otlp?.state !== 'failing' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      latest = await api.getHealth({});
    }
    expect(latest.reasons.join('\n')).toContain(
      'the OTLP endpoint http://127.0.0.1:9/v1/logs does not take audit records (connect ECONNREFUSED',
    );
  }, 30_000);

  it("names the team's Redis in the counter backend gauge, and is degraded while it cannot be reached", async () => {
    const home = makeHome({
      // A loopback port nothing listens on: the team's Redis is down.
      settings: { counters: { redis: 'redis://:pw-not-shown@127.0.0.1:9', team: 'blue' } },
    });
    const { gateway, runtime } = await startGateway(home);
    opened.track(home, gateway);
    const api = createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
    let health = await api.getHealth({});
    const deadline = Date.now() + 10_000;
    while (health.counters.state !== 'unavailable' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      health = await api.getHealth({});
    }
    expect(health.status).toBe('degraded');
    expect(health.counters).toEqual({ backend: 'redis', state: 'unavailable' });
    expect(health.reasons.join('\n')).toMatch(
      /^rate-limit counters \(redis\): Redis redis:\/\/127\.0\.0\.1:9 cannot be reached .*; limits shared with the team refuse their calls$/m,
    );
    const { text } = await api.getMetrics({});
    expect(sample(text, 'gatehouse_counter_backend{backend="redis",state="unavailable"}')).toBe(1);
    expect(JSON.stringify(health) + text).not.toContain('pw-not-shown');
  }, 30_000);
});
