import { describe, expect, it } from 'vitest';
import { CounterStore } from '../../../electron/gateway/policy/counters.js';
import { decide } from '../../../electron/gateway/policy/decide.js';
import type { CallContext } from '../../../electron/gateway/policy/types.js';
import { call, compile, fixedHits } from './helpers.js';

const T0 = 1_700_000_000_000;

function limited(window: unknown, max: number, scope = 'global') {
  return compile({ version: '1', tools: { t: { limits: [{ counter: 'c', window, max, scope }] } } });
}

/** Calls at the given times, charging the allowed ones; returns the statuses. */
function run(
  compiled: ReturnType<typeof compile>,
  times: number[],
  store = new CounterStore(),
  context?: Partial<CallContext>,
) {
  return times.map((now) => {
    const decision = decide(call('t', context), compiled, store, now);
    if (decision.status === 'allowed') store.charge(decision.charges, now);
    return decision;
  });
}

describe('rate limits', () => {
  const windows: [unknown, number, string][] = [
    ['second', 1000, 'second'],
    ['minute', 60_000, 'minute'],
    ['hour', 3_600_000, 'hour'],
    ['day', 86_400_000, 'day'],
    [{ seconds: 30 }, 30_000, '30 seconds'],
  ];
  for (const [window, windowMs, words] of windows) {
    it(`window ${JSON.stringify(window)} is a sliding window of ${windowMs} ms`, () => {
      const compiled = limited(window, 2);
      const [first, second, third, fourth, fifth] = run(compiled, [
        T0,
        T0 + 1,
        T0 + 2,
        T0 + windowMs - 1,
        T0 + windowMs,
      ]);
      expect(first?.charges).toEqual([
        { key: 'c', counter: 'c', windowMs, max: 2, scope: 'global', windowText: words },
      ]);
      expect(second?.status).toBe('allowed');
      expect(third).toMatchObject({
        decision: 'deny',
        status: 'rate_limited',
        rule: 'tools["t"]',
        retryAfterSeconds: Math.ceil((windowMs - 2) / 1000),
        reason: `rate limit "c" reached (2 per ${words}); retry in ${Math.ceil((windowMs - 2) / 1000)} s`,
      });
      expect(fourth?.status).toBe('rate_limited');
      expect(fourth?.retryAfterSeconds).toBe(1);
      // The first hit leaves the window at T0 + windowMs.
      expect(fifth?.status).toBe('allowed');
    });
  }

  it('two rules naming one counter share it', () => {
    const compiled = compile({
      version: '1',
      tools: {
        a: { limits: [{ counter: 'shared', window: 'minute', max: 2 }] },
        b: { limits: [{ counter: 'shared', window: 'minute', max: 2 }] },
      },
    });
    const store = new CounterStore();
    for (const [tool, at] of [
      ['a', T0],
      ['b', T0 + 1],
    ] as const) {
      const decision = decide(call(tool), compiled, store, at);
      expect(decision.status).toBe('allowed');
      store.charge(decision.charges, at);
    }
    expect(decide(call('a'), compiled, store, T0 + 2).status).toBe('rate_limited');
    expect(decide(call('b'), compiled, store, T0 + 2).status).toBe('rate_limited');
  });

  it('scopes: global is one counter, grant per grant, session per session', () => {
    const key = (scope: string, context: Partial<CallContext>) =>
      decide(call('t', context), limited('minute', 1, scope), fixedHits([]), T0).charges[0]?.key;
    expect(key('global', { grant: 'a', session: 'x' })).toBe(key('global', { grant: 'b', session: 'y' }));
    expect(key('grant', { grant: 'a', session: 'x' })).toBe(key('grant', { grant: 'a', session: 'y' }));
    expect(key('grant', { grant: 'a' })).not.toBe(key('grant', { grant: 'b' }));
    expect(key('session', { session: 'x' })).not.toBe(key('session', { session: 'y' }));
    expect(key('session', { grant: 'a', session: 'x' })).toBe(key('session', { grant: 'b', session: 'x' }));
    expect(key('grant', { grant: 'x' })).not.toBe(key('session', { session: 'x' }));
    expect(key('global', {})).toBe('c');

    const store = new CounterStore();
    const perGrant = limited('minute', 1, 'grant');
    expect(run(perGrant, [T0], store, { grant: 'a' })[0]?.status).toBe('allowed');
    expect(run(perGrant, [T0 + 1], store, { grant: 'a' })[0]?.status).toBe('rate_limited');
    expect(run(perGrant, [T0 + 1], store, { grant: 'b' })[0]?.status).toBe('allowed');
  });

  it('the limit that frees up last is reported when several are reached', () => {
    const compiled = compile({
      version: '1',
      tools: {
        t: {
          limits: [
            { counter: 'short', window: 'second', max: 1 },
            { counter: 'long', window: 'hour', max: 1 },
          ],
        },
      },
    });
    const [, second] = run(compiled, [T0, T0 + 10]);
    expect(second).toMatchObject({ status: 'rate_limited', retryAfterSeconds: 3600 });
    expect(second?.reason).toBe('rate limit "long" reached (1 per hour); retry in 3600 s');
  });

  it('retryAfterSeconds counts from the hit whose expiry frees a slot', () => {
    const compiled = limited('minute', 3);
    const [, , , fourth] = run(compiled, [T0, T0 + 10_000, T0 + 20_000, T0 + 30_000]);
    // The hit at T0 leaves the window at T0 + 60 s: 30 s after the fourth call.
    expect(fourth).toMatchObject({ status: 'rate_limited', retryAfterSeconds: 30 });
  });

  it('retryAfterSeconds is at least 1', () => {
    const compiled = limited('second', 1);
    const decision = decide(call('t'), compiled, fixedHits([T0 - 999.9]), T0);
    expect(decision.retryAfterSeconds).toBe(1);
  });
});

describe('CounterStore', () => {
  it('counts the hits in (now - window, now] and forgets older ones', () => {
    const store = new CounterStore();
    const charge = { key: 'k', counter: 'k', windowMs: 1000, max: 5 };
    store.charge([charge], 100);
    store.charge([charge], 600);
    expect(store.hitsInWindow('k', 1000, 1099)).toEqual([100, 600]);
    expect(store.hitsInWindow('k', 1000, 1100)).toEqual([600]);
    expect(store.hitsInWindow('k', 1000, 500)).toEqual([100]);
    store.charge([charge], 1700);
    expect(store.snapshot().counters).toEqual([{ key: 'k', windowMs: 1000, hits: [1700] }]);
  });

  it('counts and indexes a window without copying it, as hitsInWindow lists it', () => {
    const store = new CounterStore();
    const charge = { key: 'k', counter: 'k', windowMs: 1000, max: 50 };
    for (const t of [100, 100, 350, 600, 900, 1050, 1400]) store.charge([charge], t);
    for (const now of [0, 100, 599, 1099, 1100, 1399, 1400, 2000, 2500]) {
      for (const windowMs of [1, 300, 1000]) {
        const hits = store.hitsInWindow('k', windowMs, now);
        expect(store.countInWindow('k', windowMs, now)).toBe(hits.length);
        for (let n = -1; n <= hits.length; n++)
          expect(store.hitInWindow('k', windowMs, now, n)).toBe(n < 0 ? undefined : hits[n]);
      }
    }
    expect(store.countInWindow('unknown', 1000, 1400)).toBe(0);
    expect(store.hitInWindow('unknown', 1000, 1400, 0)).toBeUndefined();
  });

  it('snapshot and restore round-trip', () => {
    const store = new CounterStore();
    store.charge([{ key: 'a', counter: 'a', windowMs: 60_000, max: 3 }], T0);
    store.charge([{ key: 'b', counter: 'b', windowMs: 1000, max: 3 }], T0 + 5);
    const copy = new CounterStore();
    copy.restore(JSON.parse(JSON.stringify(store.snapshot())));
    expect(copy.hitsInWindow('a', 60_000, T0 + 10)).toEqual([T0]);
    expect(copy.hitsInWindow('b', 1000, T0 + 10)).toEqual([T0 + 5]);
    expect(copy.snapshot()).toEqual(store.snapshot());
  });
});
