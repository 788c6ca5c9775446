// Charging a call with team mode's shared limits (calls/call-charge.ts): no await without them; the team's verdict
// (charged, over, unreachable with deny or local) turned into what is charged here and what the record says.
import { describe, expect, it } from 'vitest';
import { chargeCall, type CallChargeDeps } from '../../../electron/gateway/calls/call-charge.js';
import { CounterStore } from '../../../electron/gateway/policy/counters.js';
import { decide } from '../../../electron/gateway/policy/decide.js';
import type { CounterCharge } from '../../../electron/gateway/policy/types.js';
import type { SharedVerdict } from '../../../electron/gateway/team/shared-counters.js';
import { call, compile } from '../policy/helpers.js';

const NOW = 1_700_000_000_000;
const target = { grant: 'cursor', session: 's1', server: 'komodo', tool: 't' };

const compiled = compile({
  version: '1',
  default: 'allow',
  tools: {
    t: {
      limits: [
        { counter: 'team_rate', window: 'minute', max: 10, scope: 'global' },
        { counter: 'session_rate', window: 'minute', max: 1, scope: 'session' },
      ],
    },
  },
});

function setup(verdict: SharedVerdict | undefined) {
  const store = new CounterStore();
  const asked: CounterCharge[][] = [];
  const deps: CallChargeDeps = {
    decide: (c, args, now) => decide(call(c.tool, { arguments: args }), compiled, store, now),
    charge: (charges, now) => store.charge(charges, now),
    shared: {
      sharedOf: (charges) => (verdict ? charges.filter((c) => c.scope === 'global') : []),
      charge: (shared) => (asked.push([...shared]), Promise.resolve(verdict as SharedVerdict)),
    },
    recorder: { clock: () => NOW },
  };
  const count = (key: string) => store.countInWindow(key, 60_000, NOW);
  return { deps, store, asked, count };
}

const decided = (deps: CallChargeDeps, tool = 't') => deps.decide({ ...target, tool }, {}, NOW);

describe('chargeCall', () => {
  it('charges a call without shared limits at once: no promise, nothing asked of the team', () => {
    const { deps, asked, count } = setup(undefined);
    const decision = decided(deps);
    const charged = chargeCall(deps, target, {}, decision, NOW);
    expect(charged).not.toBeInstanceOf(Promise);
    expect(charged).toEqual({ ok: true, decision });
    expect([count('team_rate'), count('session_rate\u0000session\u0000s1')]).toEqual([1, 1]);
    expect(asked).toEqual([]);
  });

  it('asks the team for the shared charges only, then charges the local ones here, marking where each was counted', async () => {
    const { deps, asked, count } = setup({ kind: 'charged' });
    const charged = await chargeCall(deps, target, {}, decided(deps), NOW);
    expect(asked.map((charges) => charges.map((c) => c.key))).toEqual([['team_rate']]);
    expect(count('team_rate')).toBe(0); // the team's Redis keeps it
    expect(count('session_rate\u0000session\u0000s1')).toBe(1);
    expect(charged.ok && charged.decision.charges.map((c) => [c.key, c.counted])).toEqual([
      ['team_rate', 'team'],
      ['session_rate\u0000session\u0000s1', undefined],
    ]);
  });

  it('decides again after the team answered: a local limit used up meanwhile refuses the call', async () => {
    const { deps } = setup({ kind: 'charged' });
    const first = chargeCall(deps, target, {}, decided(deps), NOW);
    const second = chargeCall(deps, target, {}, decided(deps), NOW); // decided before the first was charged
    expect((await first).ok).toBe(true);
    const refused = await second;
    expect(refused).toMatchObject({ ok: false, status: 'rate_limited' });
    expect(refused.decision.reason).toMatch(/^rate limit "session_rate" reached \(1 per minute\)/);
  });

  it('refuses a call over a shared limit with the team words, charging nothing here', async () => {
    const reason = 'rate limit "team_rate" reached (10 per minute, shared by team "t"); retry in 7 s';
    const { deps, count } = setup({ kind: 'over', reason, retryAfterSeconds: 7 });
    const refused = await chargeCall(deps, target, {}, decided(deps), NOW);
    expect(refused).toMatchObject({
      ok: false,
      status: 'rate_limited',
      decision: {
        decision: 'deny',
        status: 'rate_limited',
        reason,
        retryAfterSeconds: 7,
        rule: 'tools["t"]',
      },
    });
    expect(count('session_rate\u0000session\u0000s1')).toBe(0);
  });

  it('refuses when the team is unreachable and onUnavailable is deny, charging nothing', async () => {
    const reason = "the team's rate-limit counters (redis://h:1) are unreachable: …";
    const { deps, count } = setup({ kind: 'unavailable', fallback: 'deny', reason });
    const refused = await chargeCall(deps, target, {}, decided(deps), NOW);
    expect(refused).toMatchObject({ ok: false, status: 'denied', decision: { decision: 'deny', reason } });
    expect(count('team_rate') + count('session_rate\u0000session\u0000s1')).toBe(0);
  });

  it('counts every limit here when the team is unreachable and onUnavailable is local, and says so', async () => {
    const reason = "the team's rate-limit counters (redis://h:1) are unreachable (refused): counted locally";
    const { deps, count } = setup({ kind: 'unavailable', fallback: 'local', reason });
    const charged = await chargeCall(deps, target, {}, decided(deps), NOW);
    expect([count('team_rate'), count('session_rate\u0000session\u0000s1')]).toEqual([1, 1]);
    expect(charged.ok && charged.decision.charges.map((c) => c.counted)).toEqual([
      'local-fallback',
      undefined,
    ]);
    expect(charged.decision.reason).toBe(`allowed by policy rule "t"; ${reason}`);
  });
});
