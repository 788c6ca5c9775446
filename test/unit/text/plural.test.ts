// The words a user reads say "1 character", never "1 characters": the shared helper and the reasons built with it.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../electron/gateway/policy/decide.js';
import { plural } from '../../../electron/gateway/text/plural.js';
import { plural as rendererPlural } from '../../../renderer/src/lib/format.js';
import { call, compile, NO_COUNTERS } from '../policy/helpers.js';

describe('plural', () => {
  for (const [name, fn] of [
    ['gateway', plural],
    ['dashboard', rendererPlural],
  ] as const) {
    it(`${name}: one is singular, zero and many are plural, an irregular plural is given`, () => {
      expect(fn(1, 'tool')).toBe('1 tool');
      expect(fn(0, 'tool')).toBe('0 tools');
      expect(fn(2, 'error')).toBe('2 errors');
      expect(fn(1, 'entry', 'entries')).toBe('1 entry');
      expect(fn(3, 'entry', 'entries')).toBe('3 entries');
    });
  }

  it('an argument longer than a maxLength of 1 is "longer than 1 character"', () => {
    const compiled = compile({
      version: '1',
      tools: { t: { action: 'allow', args: { msg: { maxLength: 1 } } } },
    });
    const decision = decide(call('t', { arguments: { msg: 'ab' } }), compiled, NO_COUNTERS, 0);
    expect(decision).toMatchObject({ reason: 'argument "msg" is longer than 1 character' });
  });

  it('a window of { seconds: 1 } reads "per 1 second"', () => {
    const compiled = compile({
      version: '1',
      tools: { t: { limits: [{ counter: 'c', window: { seconds: 1 }, max: 1, scope: 'global' }] } },
    });
    expect(compiled.rules[0]?.limits[0]?.windowText).toBe('1 second');
  });
});
