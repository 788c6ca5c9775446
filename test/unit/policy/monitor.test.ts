import { describe, expect, it } from 'vitest';
import { decide, effectiveToolAction } from '../../../electron/gateway/policy/decide.js';
import { CounterStore } from '../../../electron/gateway/policy/counters.js';
import { applyOverrides } from '../../../electron/gateway/policy/overrides.js';
import { call, compile, NO_COUNTERS } from './helpers.js';

describe('monitor: a rule watched before it is enforced', () => {
  it('records what a monitored deny would do while the rest of the policy decides', () => {
    const policy = compile({
      version: '1',
      default: 'allow',
      tools: { delete_stack: { action: 'deny', reason: 'no deletes', monitor: true } },
    });
    const decision = decide(call('delete_stack'), policy, NO_COUNTERS, 0);
    expect(decision).toMatchObject({ decision: 'allow', status: 'allowed', rule: 'default' });
    expect(decision.monitored).toMatchObject({
      decision: 'deny',
      status: 'denied',
      rule: 'tools["delete_stack"]',
      reason: 'no deletes',
    });
    // tools/list does not hide a tool only a monitored rule denies
    expect(effectiveToolAction('cursor', 'komodo', 'delete_stack', policy)).toBe('allow');
  });

  it('never loosens: a monitored allow over an enforced approve still asks', () => {
    const policy = compile({
      version: '1',
      default: 'approve',
      tools: { deploy_stack: { action: 'allow', monitor: true } },
    });
    const decision = decide(call('deploy_stack'), policy, NO_COUNTERS, 0);
    expect(decision.decision).toBe('approve');
    expect(decision.monitored).toMatchObject({ decision: 'allow', status: 'allowed' });
  });

  it('counts a monitored limit on counters of its own, never the enforced ones', () => {
    const limit = { counter: 'runs', window: 'minute', max: 1, scope: 'grant' };
    const watched = compile({
      version: '1',
      default: 'allow',
      tools: { run: { limits: [limit], monitor: true } },
    });
    const counters = new CounterStore();
    const outcomes = [0, 1, 2].map((i) => {
      const d = decide(call('run'), watched, counters, 1000 + i);
      expect(d.charges).toEqual([]);
      counters.charge([...d.charges, ...(d.monitored?.charges ?? [])], 1000 + i);
      return d.monitored?.status;
    });
    expect(outcomes).toEqual(['allowed', 'rate_limited', 'rate_limited']);
    // The same rule enforced starts from zero.
    const enforced = compile({ version: '1', default: 'allow', tools: { run: { limits: [limit] } } });
    expect(decide(call('run'), enforced, counters, 1003).status).toBe('allowed');
  });

  it('records a monitored argument violation', () => {
    const policy = compile({
      version: '1',
      default: 'allow',
      tools: { echo: { args: { message: { maxLength: 3 } }, monitor: true } },
    });
    const d = decide(call('echo', { arguments: { message: 'too long' } }), policy, NO_COUNTERS, 0);
    expect(d.decision).toBe('allow');
    expect(d.monitored).toMatchObject({ decision: 'deny', status: 'invalid_args' });
  });

  it('never monitors the pause, a pin or the tripwire: they act on the enforced decision', () => {
    const policy = compile({
      version: '1',
      default: 'allow',
      tools: { echo: { action: 'deny', monitor: true } },
    });
    const d = decide(call('echo'), policy, NO_COUNTERS, 0);
    const held = applyOverrides(d, {
      paused: false,
      pauseMode: 'approve',
      pinChange: undefined,
      pinMode: 'hold',
      tripwire: () => 'the arguments mention the Gatehouse home',
    });
    expect(held).toMatchObject({ decision: 'approve', override: 'tripwire' });
    expect(held.monitored?.decision).toBe('deny');
  });
});
