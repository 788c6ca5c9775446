// Team mode end to end (issue #21, DESIGN.md §9): two gateways share one real redis-server and a limit of 10 calls a
// minute with scope global on server-everything's echo. Concurrent calls on both never forward more than 10 in total;
// Redis stopped mid-run refuses the calls (onUnavailable deny) or counts them locally (onUnavailable local); Redis back,
// shared counting resumes by itself. Every decision is in the gateways' own logs.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createClient } from '../../../shared/api/client.js';
import type { GatehouseApi } from '../../../shared/api/operations.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import {
  connectClient,
  everythingStdio,
  openedGateways,
  makeHome,
  startGateway,
} from '../../helpers/gateway-fixture.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';

const policy = {
  version: '1',
  default: 'allow',
  tools: { echo: { limits: [{ counter: 'echo_rate', window: 'minute', max: 10, scope: 'global' }] } },
};

interface Member {
  name: string;
  home: string;
  client: Client;
  api: GatehouseApi;
}

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;
const statusOf = (result: CallToolResult) =>
  (result._meta?.['gatehouse/decision'] as { status?: string } | undefined)?.status ?? 'forwarded';

async function until(what: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two gateways sharing rate limits on one Redis', () => {
  const opened = openedGateways();
  const team = `it-${randomUUID().slice(0, 8)}`;
  let redis: RedisServer;
  let a: Member;
  let b: Member;

  async function member(name: string, onUnavailable: 'deny' | 'local'): Promise<Member> {
    const home = makeHome({
      servers: { ev: everythingStdio() },
      policy,
      settings: { counters: { redis: redis.url, team, onUnavailable } },
    });
    const { gateway, runtime } = await startGateway(home, ['ev']);
    const client = await connectClient(runtime.mcpUrl, home.tokens.test as string);
    opened.track(home, gateway, client);
    return {
      name,
      home: home.home,
      client,
      api: createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken }),
    };
  }
  const echo = (m: Member, message: string) =>
    m.client.request(
      { method: 'tools/call', params: { name: 'ev__echo', arguments: { message } } },
      CallToolResultSchema,
    ) as Promise<CallToolResult>;
  const burst = (m: Member, n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => echo(m, `${tag} ${m.name} ${i}`));
  const records = (m: Member) =>
    readAllRecords(path.join(m.home, 'logs')).records.filter((r) => r.tool === 'echo');

  beforeAll(async () => {
    redis = await startRedis();
    a = await member('a', 'deny');
    b = await member('b', 'local');
  });
  afterAll(async () => {
    await opened.closeAll();
    await redis?.stop();
  });

  it('forwards exactly 10 of 20 concurrent calls on each gateway, and rate-limits the rest naming the team', async () => {
    expect(await a.api.getCounters({})).toMatchObject({ state: 'connected', team, redis: redis.url });
    const results = await Promise.all([...burst(a, 20, 'first'), ...burst(b, 20, 'first')]);
    const forwarded = results.filter((r) => !r.isError);
    const limited = results.filter((r) => r.isError);
    expect(forwarded).toHaveLength(10);
    expect(limited).toHaveLength(30);
    for (const r of forwarded) expect(text(r)).toMatch(/^Echo: first [ab] \d+$/);
    for (const r of limited) {
      expect(statusOf(r)).toBe('rate_limited');
      expect(text(r)).toMatch(
        new RegExp(
          `^Gatehouse denied ev__echo: rate limit "echo_rate" reached \\(10 per minute, shared by team "${team}"\\); retry in ([1-9]|[1-5]\\d|60) s$`,
        ),
      );
      expect(r._meta?.['gatehouse/decision']).toMatchObject({ decision: 'deny', rule: 'tools["echo"]' });
    }
    const check = new Redis(redis.url);
    expect(await check.zcard(`gatehouse:{${team}}:echo_rate`)).toBe(10);
    check.disconnect();

    // All 40 decisions are in the two logs; the forwarded ones say their charge was counted on the team's Redis.
    const logged = [...records(a), ...records(b)];
    expect(records(a)).toHaveLength(20);
    expect(records(b)).toHaveLength(20);
    expect(logged.filter((r) => r.status === 'ok')).toHaveLength(10);
    expect(logged.filter((r) => r.status === 'rate_limited')).toHaveLength(30);
    for (const r of logged.filter((r) => r.status === 'ok')) {
      expect(r.charges).toEqual([{ key: 'echo_rate', windowMs: 60_000, counted: 'team' }]);
    }
  });

  it('with Redis stopped, refuses the calls saying why (deny), or counts them locally (local)', async () => {
    await redis.stop();
    await until(async () => (await a.api.getCounters({})).state === 'unavailable');
    const refused = await Promise.all(burst(a, 5, 'down'));
    for (const r of refused) {
      expect(statusOf(r)).toBe('denied');
      expect(text(r)).toMatch(
        new RegExp(
          `^Gatehouse denied ev__echo: the team's rate-limit counters \\(redis://127\\.0\\.0\\.1:${redis.port}\\) are unreachable: .+ — calls under a shared limit are refused until they are back; set counters.onUnavailable to "local" to count locally meanwhile$`,
        ),
      );
    }
    expect(await a.api.getCounters({})).toMatchObject({ state: 'unavailable', onUnavailable: 'deny' });

    // onUnavailable local: the limit of 10 is counted by this gateway alone meanwhile.
    const counted = await Promise.all(burst(b, 12, 'down'));
    expect(counted.filter((r) => !r.isError)).toHaveLength(10);
    const overLocally = counted.filter((r) => r.isError);
    expect(overLocally.map(text)).toEqual([
      expect.stringMatching(
        /^Gatehouse denied ev__echo: rate limit "echo_rate" reached \(10 per minute\); retry/,
      ),
      expect.stringMatching(
        /^Gatehouse denied ev__echo: rate limit "echo_rate" reached \(10 per minute\); retry/,
      ),
    ]);
    const fallback = records(b).filter(
      (r) => r.status === 'ok' && r.charges?.[0]?.counted === 'local-fallback',
    );
    expect(fallback).toHaveLength(10);
    expect(fallback[0]?.reason).toMatch(/are unreachable \(.+\): counted locally$/);
    expect(records(a).filter((r) => r.status === 'denied')).toHaveLength(5);
  });

  it('with Redis back, counts on it again by itself', async () => {
    await redis.restart(); // empty: nothing was saved
    await until(async () => (await a.api.getCounters({})).state === 'connected');
    await until(async () => (await b.api.getCounters({})).state === 'connected');
    const results = await Promise.all(burst(a, 15, 'back'));
    expect(results.filter((r) => !r.isError)).toHaveLength(10);
    for (const r of results.filter((r) => r.isError)) expect(text(r)).toMatch(/shared by team/);
    const check = new Redis(redis.url);
    expect(await check.zcard(`gatehouse:{${team}}:echo_rate`)).toBe(10);
    check.disconnect();
    // b counted 10 calls by itself within this minute while Redis was away: those still count here.
    expect(statusOf(await echo(b, 'back b'))).toBe('rate_limited');
  });
});
