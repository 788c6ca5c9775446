// What the Tools view's rule editors send: a part of a tool's rule as PATCH edits, the counters a limit may share,
// the limit and argument forms read into the policy's entries, and the clients' overlay rules for one tool.
import { describe, expect, it } from 'vitest';
import { formOfArgRule, readArgForm, testValueOf, EMPTY_ARG_FORM } from '../../../renderer/src/lib/arg-form';
import { grantActionOf, overlayRulesOf } from '../../../renderer/src/lib/grant-overlays';
import {
  agreeWithCounter,
  formOfLimit,
  newLimitForm,
  readLimitForm,
} from '../../../renderer/src/lib/limit-form';
import { countersOf, freshCounterName, rulePartEdit } from '../../../renderer/src/lib/rule-parts';

const RULE = ['servers', 'ev', 'tools', 'echo'];
const LIMIT = { counter: 'ev_echo', window: 'minute', max: 2, scope: 'global' };

describe('rulePartEdit', () => {
  it('sets only the part when the tool has its own rule', () => {
    const policy = { servers: { ev: { tools: { echo: { action: 'approve' } } } } };
    expect(rulePartEdit(policy, 'ev', 'echo', 'approve', ['limits'], [LIMIT])).toEqual({
      path: [...RULE, 'limits'],
      value: [LIMIT],
    });
    expect(rulePartEdit(policy, 'ev', 'echo', 'approve', ['args', 'message'], { pattern: 'a+' })).toEqual({
      path: [...RULE, 'args', 'message'],
      value: { pattern: 'a+' },
    });
  });

  it('writes a new rule with the tool’s current action, since a rule without one allows', () => {
    expect(rulePartEdit({ version: '1' }, 'ev', 'echo', 'approve', ['limits'], [LIMIT])).toEqual({
      path: RULE,
      value: { action: 'approve', limits: [LIMIT] },
    });
    expect(rulePartEdit(undefined, 'ev', 'echo', 'deny', ['args', 'message'], {})).toEqual({
      path: RULE,
      value: { action: 'deny', args: { message: {} } },
    });
  });

  it('removes one argument’s rule, or `args` with its last one, rewriting the rule without it', () => {
    const two = { servers: { ev: { tools: { echo: { args: { a: {}, b: {} }, action: 'deny' } } } } };
    expect(rulePartEdit(two, 'ev', 'echo', 'deny', ['args', 'a'], null)).toEqual({
      path: RULE,
      value: { args: { b: {} }, action: 'deny' },
    });
    const one = { servers: { ev: { tools: { echo: { action: 'deny', args: { a: {} } } } } } };
    expect(rulePartEdit(one, 'ev', 'echo', 'deny', ['args', 'a'], null)).toEqual({
      path: RULE,
      value: { action: 'deny' },
    });
  });

  it('keeps a rule valid and its meaning (allow) when its last part goes, and its other keys', () => {
    const policy = { servers: { ev: { tools: { echo: { limits: [LIMIT], reason: 'r', 'x-a': 1 } } } } };
    expect(rulePartEdit(policy, 'ev', 'echo', 'allow', ['limits'], null)).toEqual({
      path: RULE,
      value: { reason: 'r', 'x-a': 1, action: 'allow' },
    });
  });

  it('removing what is not there removes that path only (a no-op for the file)', () => {
    expect(rulePartEdit({}, 'ev', 'echo', 'allow', ['limits'], null)).toEqual({
      path: [...RULE, 'limits'],
      value: null,
    });
  });
});

describe('counters', () => {
  const policy = {
    tools: { a: { limits: [{ counter: 'shared', window: 'hour', max: 5 }] } },
    servers: { ev: { tools: { echo: { limits: [LIMIT] } } } },
    grants: {
      ci: { servers: { ev: { tools: { x: { limits: [{ counter: 'ci', window: 'day', max: 1 }] } } } } },
    },
  };

  it('lists every counter the policy names, base and overlays, with its window, max and scope', () => {
    const counters = countersOf(policy);
    expect([...counters.keys()]).toEqual(['shared', 'ev_echo', 'ci']);
    expect(counters.get('shared')).toEqual({ window: 'hour', max: 5, scope: 'global' });
    expect(countersOf(undefined).size).toBe(0);
  });

  it('proposes `<server>_<tool>`, made unique', () => {
    const counters = countersOf(policy);
    expect(freshCounterName(counters, 'ev', 'get-sum')).toBe('ev_get-sum');
    expect(freshCounterName(counters, 'ev', 'echo')).toBe('ev_echo_2');
  });

  it('a form naming a counter in use takes its window, max and scope', () => {
    const form = { ...newLimitForm('shared'), max: '9', scope: 'session' as const };
    expect(agreeWithCounter(form, countersOf(policy))).toEqual({
      max: '5',
      window: 'hour',
      seconds: '',
      scope: 'global',
      counter: 'shared',
    });
    expect(agreeWithCounter(form, new Map())).toBe(form);
  });
});

describe('the limit form', () => {
  it('reads back what it shows, keeping keys it does not show', () => {
    const limit = { counter: 'c', window: { seconds: 30 }, max: 3, scope: 'grant', 'x-note': 'n' };
    expect(formOfLimit(limit)).toEqual({
      max: '3',
      window: 'seconds',
      seconds: '30',
      scope: 'grant',
      counter: 'c',
    });
    expect(readLimitForm(formOfLimit(limit), limit)).toEqual({ ok: true, limit });
    expect(readLimitForm({ ...newLimitForm(' c '), max: '2' })).toEqual({
      ok: true,
      limit: { counter: 'c', window: 'minute', max: 2, scope: 'global' },
    });
  });

  it('says what is wrong before anything is sent', () => {
    const result = readLimitForm({
      max: '0',
      window: 'seconds',
      seconds: '1.5',
      scope: 'global',
      counter: '',
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'Max calls must be a whole number, 1 or more.',
        'Seconds must be a whole number, 1 or more.',
        'Name the counter.',
      ],
    });
  });
});

describe('the argument form', () => {
  it('reads back every kind of check, keeping keys it does not show', () => {
    const rule = {
      pattern: '[a-z]+',
      enum: ['a', 1],
      maxLength: 10,
      min: -1.5,
      max: 2,
      path: { within: ['/tmp', '~/work'] },
      deny: true,
      optional: true,
      'x-note': 'n',
    };
    expect(readArgForm(formOfArgRule(rule), rule)).toEqual({ ok: true, rule });
  });

  it('an empty form is the rule "this argument must be present"', () => {
    expect(readArgForm(EMPTY_ARG_FORM)).toEqual({ ok: true, rule: {} });
    expect(readArgForm({ ...EMPTY_ARG_FORM, within: '\n /tmp \n\n' })).toEqual({
      ok: true,
      rule: { path: { within: ['/tmp'] } },
    });
  });

  it('says what is wrong with the allowed values and the numbers', () => {
    const result = readArgForm({ ...EMPTY_ARG_FORM, enumText: '"a"', maxLength: '-1', min: 'x' });
    expect(result).toEqual({
      ok: false,
      errors: [
        'Allowed values must be a JSON list, e.g. ["main", "dev"] or [1, 2].',
        'Max length must be a whole number, 0 or more.',
        'Min must be a number.',
      ],
    });
  });

  it('the test field tries the text as typed, or the JSON it holds', () => {
    expect(testValueOf('42', false)).toEqual({ ok: true, value: '42' });
    expect(testValueOf('42', true)).toEqual({ ok: true, value: 42 });
    expect(testValueOf('{', true)).toEqual({ ok: false });
  });
});

describe('grant overlays', () => {
  const policy = {
    servers: { ev: { tools: { echo: { action: 'deny' } } } },
    grants: {
      ci: { servers: { ev: { tools: { echo: { action: 'deny' }, 'ec*': { limits: [] } } } } },
      laptop: { tools: { '*': { action: 'approve' }, other: { action: 'deny' } } },
    },
  };

  it('lists each client’s rules that match the tool, a rule without action allowing', () => {
    expect(overlayRulesOf(policy, 'ev', 'echo')).toEqual([
      { grant: 'ci', where: 'grants.ci.servers.ev.tools.echo', action: 'deny' },
      { grant: 'ci', where: 'grants.ci.servers.ev.tools["ec*"]', action: 'allow' },
      { grant: 'laptop', where: 'grants.laptop.tools["*"]', action: 'approve' },
    ]);
    expect(overlayRulesOf(policy, 'other', 'x')).toEqual([
      { grant: 'laptop', where: 'grants.laptop.tools["*"]', action: 'approve' },
    ]);
    expect(overlayRulesOf(undefined, 'ev', 'echo')).toEqual([]);
  });

  it('reads a client’s own exact rule only', () => {
    expect(grantActionOf(policy, 'ev', 'echo', 'ci')).toBe('deny');
    expect(grantActionOf(policy, 'ev', 'echo', 'laptop')).toBeUndefined();
  });
});
