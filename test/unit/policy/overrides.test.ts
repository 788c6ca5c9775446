// The pause, a changed tool definition and the tripwire over the policy's decision: never loosening a deny, each
// marked as an override, in their order (pause, then pin, then tripwire on what is still allowed).
import { describe, expect, it } from 'vitest';
import { applyOverrides, type OverrideInputs } from '../../../electron/gateway/policy/overrides.js';
import type { Decision } from '../../../electron/gateway/policy/types.js';

const base = (decision: Decision['decision']): Decision => ({
  decision,
  status: decision === 'allow' ? 'allowed' : decision === 'deny' ? 'denied' : 'approval_required',
  rule: 'tools["x"]',
  reason: 'the policy',
  charges: [],
});

const calm: OverrideInputs = {
  paused: false,
  pauseMode: 'approve',
  pinChange: undefined,
  pinMode: 'hold',
  tripwire: () => undefined,
};

describe('applyOverrides', () => {
  it('leaves a decision alone when nothing stands above the policy', () => {
    for (const d of ['allow', 'approve', 'deny'] as const)
      expect(applyOverrides(base(d), calm)).toEqual(base(d));
  });

  it('never turns a deny into anything else, and does not even look at the arguments then', () => {
    let looked = false;
    const all: OverrideInputs = {
      paused: true,
      pauseMode: 'approve',
      pinChange: 'description',
      pinMode: 'hold',
      tripwire: () => ((looked = true), 'the home'),
    };
    expect(applyOverrides(base('deny'), all)).toEqual(base('deny'));
    expect(looked).toBe(false);
  });

  it('pauses to approval or to denial, marked as the pause', () => {
    expect(applyOverrides(base('allow'), { ...calm, paused: true })).toMatchObject({
      decision: 'approve',
      rule: 'pause',
      override: 'pause',
    });
    expect(applyOverrides(base('approve'), { ...calm, paused: true, pauseMode: 'deny' })).toMatchObject({
      decision: 'deny',
      status: 'denied',
      override: 'pause',
    });
  });

  it('holds or denies a changed definition, also while paused (a pin deny wins over a pause approval)', () => {
    expect(applyOverrides(base('allow'), { ...calm, pinChange: 'inputSchema' })).toMatchObject({
      decision: 'approve',
      reason: 'tool definition changed: inputSchema',
      override: 'pin',
    });
    expect(
      applyOverrides(base('allow'), { ...calm, paused: true, pinChange: 'x', pinMode: 'deny' }),
    ).toMatchObject({
      decision: 'deny',
      override: 'pin',
    });
  });

  it('sends a call whose arguments trip the wire to a person, marked so that only a fresh answer passes it', () => {
    const tripwire = () => 'mentions the Gatehouse home';
    expect(applyOverrides(base('allow'), { ...calm, tripwire })).toMatchObject({
      decision: 'approve',
      reason: 'tripwire: mentions the Gatehouse home',
      override: 'tripwire',
    });
    expect(applyOverrides(base('approve'), { ...calm, tripwire })).toMatchObject({
      decision: 'approve',
      reason: 'tripwire: mentions the Gatehouse home (and: the policy)',
      override: 'tripwire',
    });
    expect(applyOverrides(base('allow'), { ...calm, paused: true, tripwire })).toMatchObject({
      override: 'tripwire',
    });
  });
});
