// The Lua script that checks and charges all of a call's shared counters at once, against a real redis-server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chargeAtomically, type ScriptRunner } from '../../../electron/gateway/team/charge-script.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';

let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  await redis.flushall();
});

const serverNow = async () => {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
};
const count = (key: string) => redis.zcard(key);

describe('chargeAtomically', () => {
  it('charges every key of a call at once, stamped with the Redis server time', async () => {
    const before = await serverNow();
    const result = await chargeAtomically(
      redis,
      [
        { key: 'a', windowMs: 60_000, max: 10 },
        { key: 'b', windowMs: 1_000, max: 1 },
      ],
      'call-1',
    );
    expect(result).toMatchObject({ charged: true });
    expect(result.now).toBeGreaterThanOrEqual(before);
    expect([await count('a'), await count('b')]).toEqual([1, 1]);
    expect(await redis.zrange('a', 0, -1, 'WITHSCORES')).toEqual(['call-1#1', String(result.now)]);
    expect(await redis.pttl('b')).toBeGreaterThan(0);
  });

  it('charges none of the keys when one of them is full, and names that one', async () => {
    const charges = [
      { key: 'roomy', windowMs: 60_000, max: 10 },
      { key: 'full', windowMs: 60_000, max: 2 },
      { key: 'other', windowMs: 60_000, max: 5 },
    ];
    expect((await chargeAtomically(redis, charges, 'c1')).charged).toBe(true);
    expect((await chargeAtomically(redis, charges, 'c2')).charged).toBe(true);
    const third = await chargeAtomically(redis, charges, 'c3');
    expect(third).toMatchObject({ charged: false, index: 1 });
    expect([await count('roomy'), await count('full'), await count('other')]).toEqual([2, 2, 2]);
  });

  it('drops the hits that left the window before counting, and says when the oldest counted one frees up', async () => {
    const now = await serverNow();
    await redis.zadd('k', now - 70_000, 'gone', now - 10_000, 'old', now - 5_000, 'newer');
    const blocked = await chargeAtomically(redis, [{ key: 'k', windowMs: 60_000, max: 2 }], 'c');
    expect(blocked.charged).toBe(false);
    if (blocked.charged) return;
    // The call passes once `old` (10 s ago) leaves the 60 s window: about 50 s from now.
    expect(blocked.retryMs).toBeGreaterThan(49_000);
    expect(blocked.retryMs).toBeLessThanOrEqual(50_000);
    expect(await redis.zrange('k', 0, -1)).toEqual(['old', 'newer']);
  });

  it('of two full keys, names the one that frees up last', async () => {
    const now = await serverNow();
    await redis.zadd('soon', now - 50_000, 'x');
    await redis.zadd('late', now - 1_000, 'y');
    const blocked = await chargeAtomically(
      redis,
      [
        { key: 'soon', windowMs: 60_000, max: 1 },
        { key: 'late', windowMs: 60_000, max: 1 },
      ],
      'c',
    );
    expect(blocked).toMatchObject({ charged: false, index: 1 });
  });

  it('never lets more than max through among concurrent charges from several clients', async () => {
    const clients = [new Redis(server.url), new Redis(server.url), new Redis(server.url)];
    try {
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          chargeAtomically(clients[i % 3] as Redis, [{ key: 'shared', windowMs: 60_000, max: 10 }], `c${i}`),
        ),
      );
      expect(results.filter((r) => r.charged)).toHaveLength(10);
      expect(await count('shared')).toBe(10);
    } finally {
      clients.forEach((c) => c.disconnect());
    }
  });

  it('runs the script by its SHA, sending it whole only when Redis does not know it (NOSCRIPT)', async () => {
    await redis.script('FLUSH');
    const sent: string[] = [];
    const runner: ScriptRunner = {
      evalsha: (...args) => (sent.push('EVALSHA'), redis.evalsha(...args)),
      eval: (...args) => (sent.push('EVAL'), redis.eval(...args)),
    };
    const charge = [{ key: 'k', windowMs: 60_000, max: 5 }];
    await chargeAtomically(runner, charge, 'c1');
    await chargeAtomically(runner, charge, 'c2');
    expect(sent).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
    expect(await count('k')).toBe(2);
  });

  it('passes on an error other than NOSCRIPT, and refuses an answer it does not understand', async () => {
    const failing: ScriptRunner = {
      evalsha: () =>
        Promise.reject(new Error('WRONGTYPE Operation against a key holding the wrong kind of value')),
      eval: () => Promise.reject(new Error('not called')),
    };
    await expect(chargeAtomically(failing, [{ key: 'k', windowMs: 1, max: 1 }], 'c')).rejects.toThrow(
      /^WRONGTYPE/,
    );
    const odd: ScriptRunner = {
      evalsha: () => Promise.resolve([0, 5, 9, 1]),
      eval: () => Promise.resolve(null),
    };
    await expect(chargeAtomically(odd, [{ key: 'k', windowMs: 1, max: 1 }], 'c')).rejects.toThrow(
      /unexpected answer from the counters' script: \[0,5,9,1\]/,
    );
  });
});
