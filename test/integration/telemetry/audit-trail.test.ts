// Team mode's audit trail through a real gateway and a real upstream (server-everything's echo): every call record
// reaches a test OTLP receiver with its attributes and no secret; a receiver that is down for 10 s loses nothing once
// it is back; a receiver that never answers slows no call.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallRecord } from '../../../shared/call-record.js';
import { MASK } from '../../../electron/gateway/control/mask.js';
import { gatewayName } from '../../../electron/gateway/telemetry/index.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  openedGateways,
  startGateway,
} from '../../helpers/gateway-fixture.js';
import { OtlpReceiver, until, type ReceivedRecord } from './otlp-receiver.js';

const opened = openedGateways();
const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await opened.closeAll();
  for (const r of receivers.splice(0)) await r.stop();
});

// Token-shaped values the call log's redaction knows (log/redact.ts); built here so no scanner mistakes this file.
const GITHUB_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(3)}xYzW12`;
const OPENAI_KEY = `sk-${'proj'}${'Q7w8E9r0T1'.repeat(4)}`;
const OTLP_KEY = `otlp-key-${'9f8e7d6c5b4a'.repeat(2)}`;

async function receiver(): Promise<OtlpReceiver> {
  const r = await new OtlpReceiver().start();
  receivers.push(r);
  return r;
}

async function gatewayWith(settings: unknown) {
  const home = makeHome({
    servers: { ev: everythingStdio() },
    policy: { version: '1', default: 'allow' },
    settings,
  });
  const started = await startGateway(home, ['ev']);
  const client = await connectClient(started.runtime.mcpUrl, home.tokens.test as string);
  opened.track(home, started.gateway, client);
  const api = (route: string, init: RequestInit = {}) =>
    fetch(`${started.runtime.controlUrl}${route}`, {
      ...init,
      headers: {
        authorization: `Bearer ${started.runtime.adminToken}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  return { home, client, api, ...started };
}

/** `count` echo calls, `parallel` at a time; each message names its index. */
async function echoCalls(client: Client, count: number, parallel: number, message = (i: number) => `m${i}`) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const result = await client.callTool({ name: 'ev__echo', arguments: { message: message(i) } });
      expect(result.isError).toBeFalsy();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

function logLines(home: string): CallRecord[] {
  const dir = path.join(home, 'logs');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as CallRecord);
}

/** The received records by call id and status. */
function byCall(records: ReceivedRecord[]): Map<string, Map<string, ReceivedRecord>> {
  const calls = new Map<string, Map<string, ReceivedRecord>>();
  for (const r of records) {
    const id = String(r.attributes['gatehouse.call.id']);
    const statuses = calls.get(id) ?? new Map<string, ReceivedRecord>();
    statuses.set(String(r.attributes['gatehouse.status']), r);
    calls.set(id, statuses);
  }
  return calls;
}

describe('the OTLP audit trail', () => {
  it('gets every record of 1,000 calls with the right attributes and no secret; its headers never shown', async () => {
    const otlp = await receiver();
    const gw = await gatewayWith(undefined);
    // Switched on at run time, through the control API (settings.json is written and read again).
    const put = await gw.api('/settings', {
      method: 'PUT',
      body: JSON.stringify({
        otlp: { endpoint: otlp.url, headers: { authorization: `Bearer ${OTLP_KEY}` } },
      }),
    });
    expect(put.status).toBe(200);
    const shown = JSON.stringify(await put.json()) + (await (await gw.api('/settings')).text());
    expect(shown).not.toContain(OTLP_KEY);
    expect(shown).toContain(MASK);

    await echoCalls(gw.client, 1000, 8, (i) => `call ${i} with ${GITHUB_TOKEN} and ${OPENAI_KEY}`);
    await until(() => otlp.records.length >= 2000, 30_000, `2,000 records (got ${otlp.records.length})`);
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    expect(otlp.records).toHaveLength(2000);
    expect(new Set(otlp.records.map((r) => r.attributes['log.record.uid'])).size).toBe(2000);

    const lines = logLines(gw.home.home);
    const decisions = new Map(lines.filter((l) => l.status === 'pending').map((l) => [l.id, l]));
    expect(decisions.size).toBe(1000);
    const calls = byCall(otlp.records);
    expect(calls.size).toBe(1000);
    for (const [id, statuses] of calls) {
      const written = decisions.get(id);
      expect(written, id).toBeDefined();
      expect([...statuses.keys()].sort()).toEqual(['ok', 'pending']);
      for (const [status, record] of statuses) {
        expect(record.attributes).toMatchObject({
          'gatehouse.gateway': gatewayName(gw.gateway.paths.home),
          'gatehouse.grant': 'test',
          'gatehouse.server': 'ev',
          'gatehouse.tool': 'echo',
          'gatehouse.decision': 'allow',
          'gatehouse.status': status,
          'gatehouse.rule': written!.rule,
          'gatehouse.reason': written!.reason,
          // The arguments as the call log wrote them: redacted there.
          'gatehouse.arguments': JSON.stringify(written!.arguments),
        });
        expect(record.attributes['gatehouse.arguments']).toMatch(/\[redacted sha256:[0-9a-f]{12}\]/);
        expect(record.resource['service.name']).toBe('gatehouse');
      }
      expect(statuses.get('ok')!.attributes['gatehouse.duration_ms']).toBeTypeOf('number');
    }
    const everything = otlp.bodies.join('\n');
    for (const secret of [GITHUB_TOKEN, OPENAI_KEY, OTLP_KEY, gw.home.tokens.test!, gw.runtime.adminToken]) {
      expect(everything).not.toContain(secret);
    }
    // The endpoint's headers went to the endpoint, and nowhere else.
    expect(otlp.headers.every((h) => h.authorization === `Bearer ${OTLP_KEY}`)).toBe(true);
    expect(gw.diagnostics.join('\n')).not.toContain(OTLP_KEY);
    expect(fs.readFileSync(path.join(gw.home.home, 'settings.json'), 'utf8')).toContain(OTLP_KEY);

    // Each record names its line's place in the log's hash chain: the trail holds the chain, and so its head.
    const hashOf = (r: ReceivedRecord, key: string) => String(r.attributes[`gatehouse.log.${key}`]);
    expect(new Set(otlp.records.map((r) => hashOf(r, 'hash')))).toEqual(new Set(lines.map((l) => l.hash)));
    const named = new Set(otlp.records.map((r) => hashOf(r, 'prev')));
    const head = (await (await gw.api('/log/head')).json()) as { head: string };
    expect(otlp.records.filter((r) => !named.has(hashOf(r, 'hash'))).map((r) => hashOf(r, 'hash'))).toEqual([
      head.head,
    ]);

    // settings.json changed again, by hand: the trail stops.
    gw.home.write('settings.json', {});
    await until(() => gw.diagnostics.some((l) => l.includes('stopped sending')), 10_000, 'the trail stopped');
    await echoCalls(gw.client, 5, 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(otlp.records).toHaveLength(2000);
  }, 120_000);

  it('loses nothing while the receiver is down for 10 s, and says the endpoint fails meanwhile', async () => {
    const otlp = await receiver();
    const gw = await gatewayWith({ otlp: { endpoint: otlp.url } });
    await echoCalls(gw.client, 20, 4);
    await until(() => otlp.records.length === 40, 10_000, 'the first 40 records');

    await otlp.stop();
    const down = Date.now();
    await echoCalls(gw.client, 200, 4);
    await until(
      () => gw.diagnostics.some((l) => l.includes('OTLP audit trail: sending to') && l.includes('failed')),
      15_000,
      'a diagnostics line on the failure',
    );
    const health = (await (await gw.api('/health')).json()) as { status: string; reasons: string[] };
    expect(health.status).toBe('degraded');
    expect(health.reasons.join('\n')).toContain(
      `the OTLP endpoint ${otlp.url}/v1/logs does not take audit records`,
    );
    await echoCalls(gw.client, 30, 2);
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - down))));

    await otlp.start(); // back, on the same port
    await until(() => otlp.records.length >= 500, 20_000, `500 records (got ${otlp.records.length})`);
    await new Promise((r) => setTimeout(r, 300));
    expect(otlp.records).toHaveLength(500); // each once: nothing was in flight when it went down
    const calls = byCall(otlp.records);
    expect(calls.size).toBe(250);
    for (const statuses of calls.values()) expect([...statuses.keys()].sort()).toEqual(['ok', 'pending']);
    await until(
      () => gw.diagnostics.some((l) => l.includes('takes records again')),
      5_000,
      'a diagnostics line on the recovery',
    );
    const after = (await (await gw.api('/health')).json()) as { status: string; otlp: { dropped: number } };
    expect(after).toMatchObject({ status: 'ok', otlp: { dropped: 0, buffered: 0, exported: 500 } });
  }, 90_000);

  it('slows no call while the receiver never answers', async () => {
    const otlp = await receiver();
    otlp.hang();
    const gw = await gatewayWith({ otlp: { endpoint: otlp.url } });
    await echoCalls(gw.client, 10, 1); // warm: the first export request is now hanging
    const started = Date.now();
    await echoCalls(gw.client, 100, 1);
    const took = Date.now() - started;
    expect(took).toBeLessThan(5_000); // a generous guard: about 0.1 to 0.3 s here
    expect(otlp.records).toHaveLength(0);
  }, 30_000);
});
