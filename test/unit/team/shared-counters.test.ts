// The team's shared counters as the call path uses them: which charges are shared, the verdicts and their words,
// Redis unreachable or hung (time-boxed), and counting resumed when it is back — against a real redis-server.
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CountersSettings } from '../../../shared/settings.js';
import type { CounterBackend } from '../../../shared/api/counter-shapes.js';
import type { CounterCharge } from '../../../electron/gateway/policy/types.js';
import { redisLabel, SharedCounters } from '../../../electron/gateway/team/shared-counters.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';

let server: RedisServer;
const open: SharedCounters[] = [];

beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());
afterEach(() => open.splice(0).forEach((c) => c.close()));

function counters(settings: CountersSettings | undefined, env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const states: CounterBackend[] = [];
  const shared = new SharedCounters({
    settings: () => settings,
    clock: Date.now,
    diagnostics: (line) => lines.push(line),
    onChange: (state) => states.push(state),
    env,
  });
  open.push(shared);
  return { shared, lines, states };
}

const charge = (key: string, scope: CounterCharge['scope'], max = 2): CounterCharge => ({
  key,
  counter: key.split('\u0000')[0] as string,
  windowMs: 60_000,
  max,
  scope,
  windowText: 'minute',
});

async function until(what: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SharedCounters', () => {
  it('shares the global and grant limits only, and only when settings.json has counters', () => {
    const charges = [
      charge('g', 'global'),
      charge('c\u0000grant\u0000cursor', 'grant'),
      charge('s', 'session'),
    ];
    expect(counters(undefined).shared.sharedOf(charges)).toEqual([]);
    const team = counters({ redis: server.url, team: 't', onUnavailable: 'deny' }).shared;
    expect(team.sharedOf(charges).map((c) => c.key)).toEqual(['g', 'c\u0000grant\u0000cursor']);
  });

  it('counts under the team name, and rate-limits in the words of a local limit naming the team', async () => {
    const { shared } = counters({ redis: server.url, team: 'platform', onUnavailable: 'deny' });
    const limit = [charge('echo_rate', 'global')];
    expect(await shared.charge(limit)).toEqual({ kind: 'charged' });
    expect(await shared.charge(limit)).toEqual({ kind: 'charged' });
    const over = await shared.charge(limit);
    expect(over).toMatchObject({ kind: 'over', retryAfterSeconds: 60 });
    expect(over.kind === 'over' && over.reason).toBe(
      'rate limit "echo_rate" reached (2 per minute, shared by team "platform"); retry in 60 s',
    );
    const redis = new Redis(server.url);
    expect(await redis.zcard('gatehouse:{platform}:echo_rate')).toBe(2);
    redis.disconnect();
    // Another team on the same Redis has counters of its own.
    const other = counters({ redis: server.url, team: 'ci', onUnavailable: 'deny' }).shared;
    expect(await other.charge(limit)).toEqual({ kind: 'charged' });
    expect(shared.backend()).toMatchObject({ state: 'connected', team: 'platform', redis: server.url });
  });

  it('refuses, or counts locally, when Redis cannot be reached — and never shows its password', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const url = `redis://:hunter2-secret@127.0.0.1:${closed}`;
    const deny = counters({ redis: url, team: 't', onUnavailable: 'deny' });
    const refused = await deny.shared.charge([charge('k', 'global')]);
    expect(refused).toMatchObject({ kind: 'unavailable', fallback: 'deny' });
    expect(refused.kind === 'unavailable' && refused.reason).toMatch(
      new RegExp(
        `^the team's rate-limit counters \\(redis://127.0.0.1:${closed}\\) are unreachable: .+ — calls under a shared limit are refused until they are back; set counters.onUnavailable to "local" to count locally meanwhile$`,
      ),
    );
    expect(deny.shared.backend()).toMatchObject({ state: 'unavailable', onUnavailable: 'deny' });
    expect(deny.shared.backend().since).toMatch(/^\d{4}-\d\d-\d\dT/);
    // A refused connection is known at once: the reason is the refusal, not the time box running out.
    expect(refused.kind === 'unavailable' && refused.reason).toMatch(/unreachable: connect ECONNREFUSED /);
    const local = counters({ redis: url, team: 't', onUnavailable: 'local' });
    const fallback = await local.shared.charge([charge('k', 'global')]);
    expect(fallback).toMatchObject({ kind: 'unavailable', fallback: 'local' });
    expect(fallback.kind === 'unavailable' && fallback.reason).toMatch(
      /are unreachable \(.+\): counted locally$/,
    );
    const everything = JSON.stringify([
      deny.lines,
      deny.states,
      local.lines,
      local.states,
      refused,
      fallback,
      deny.shared.backend(),
    ]);
    expect(everything).not.toContain('hunter2');
    expect(deny.lines.join('\n')).toMatch(/unreachable .*calls under a shared limit are refused meanwhile/);
  });

  it('gives up on a Redis that accepts connections but never answers, within the time box', async () => {
    const sockets: net.Socket[] = [];
    const hung = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as net.AddressInfo;
    try {
      const { shared } = counters({ redis: `redis://127.0.0.1:${port}`, team: 't', onUnavailable: 'deny' });
      const started = Date.now();
      const verdict = await shared.charge([charge('k', 'global')]);
      const took = Date.now() - started;
      expect(verdict.kind === 'unavailable' && verdict.reason).toMatch(
        /unreachable: no answer within 250 ms/,
      );
      expect(took).toBeGreaterThanOrEqual(240);
      expect(took).toBeLessThan(1000);
      // Known to be unavailable: the next call is answered at once.
      const again = Date.now();
      await shared.charge([charge('k', 'global')]);
      expect(Date.now() - again).toBeLessThan(200); // well under the 250 ms time box
    } finally {
      sockets.forEach((s) => s.destroy());
      hung.close();
    }
  });

  it('resumes counting on Redis by itself once it is back', async () => {
    const { shared, states } = counters({ redis: server.url, team: 'resume', onUnavailable: 'deny' });
    expect(await shared.charge([charge('k', 'global', 5)])).toEqual({ kind: 'charged' });
    await server.stop();
    await until(() => shared.backend().state === 'unavailable');
    expect((await shared.charge([charge('k', 'global', 5)])).kind).toBe('unavailable');
    await server.restart();
    await until(() => shared.backend().state === 'connected');
    expect(await shared.charge([charge('k', 'global', 5)])).toEqual({ kind: 'charged' });
    expect(states.map((s) => s.state)).toEqual(['connected', 'unavailable', 'connected']);
  });

  it('gives up on a connected Redis that stops answering, and counts on it again once it answers', async () => {
    const { shared } = counters({ redis: server.url, team: 'frozen', onUnavailable: 'deny' });
    expect(await shared.charge([charge('k', 'global', 5)])).toEqual({ kind: 'charged' });
    server.freeze();
    try {
      const started = Date.now();
      const verdict = await shared.charge([charge('k', 'global', 5)]);
      expect(verdict.kind === 'unavailable' && verdict.reason).toMatch(/unreachable: Command timed out/);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(shared.backend().state).toBe('unavailable');
    } finally {
      server.thaw();
    }
    await until(() => shared.backend().state === 'connected');
    expect(await shared.charge([charge('k', 'global', 5)])).toEqual({ kind: 'charged' });
  });

  it('follows settings.json: another team links anew, and without counters everything is local again', async () => {
    let settings: CountersSettings | undefined = { redis: server.url, team: 'one', onUnavailable: 'deny' };
    const states: CounterBackend[] = [];
    const lines: string[] = [];
    const shared = new SharedCounters({
      settings: () => settings,
      clock: Date.now,
      diagnostics: (line) => lines.push(line),
      onChange: (state) => states.push(state),
      env: {},
    });
    open.push(shared);
    expect(await shared.charge([charge('k', 'global', 5)])).toEqual({ kind: 'charged' });
    settings = { ...settings, team: 'two' };
    expect(await shared.charge([charge('k', 'global', 5)])).toEqual({ kind: 'charged' });
    const redis = new Redis(server.url);
    expect([await redis.zcard('gatehouse:{one}:k'), await redis.zcard('gatehouse:{two}:k')]).toEqual([1, 1]);
    redis.disconnect();
    settings = undefined;
    shared.start();
    expect(shared.backend()).toEqual({ state: 'local' });
    expect(shared.sharedOf([charge('k', 'global')])).toEqual([]);
    expect(states.map((s) => [s.state, s.team])).toEqual([
      ['connected', 'one'],
      ['connected', 'two'],
      ['local', undefined],
    ]);
    expect(lines.filter((l) => l.endsWith('closed'))).toHaveLength(2);
  });

  it('shows the Redis as scheme, host and port only', () => {
    expect(redisLabel('rediss://admin:p%40ss@redis.example.com:6380/2?x=1')).toBe(
      'rediss://redis.example.com:6380',
    );
    expect(redisLabel('redis://redis.local')).toBe('redis://redis.local:6379');
  });
});
