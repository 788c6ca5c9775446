import { describe, expect, it } from 'vitest';
import { decide } from '../../../electron/gateway/policy/decide.js';
import { call, compile, fixedHits, NO_COUNTERS } from './helpers.js';

const NOW = 1_700_000_000_000;

function check(args: Record<string, unknown>, argumentsOfCall: Record<string, unknown>) {
  const compiled = compile({ version: '1', default: 'deny', tools: { t: { action: 'allow', args } } });
  return decide(call('t', { arguments: argumentsOfCall }), compiled, NO_COUNTERS, NOW);
}

function reasonOf(
  args: Record<string, unknown>,
  argumentsOfCall: Record<string, unknown>,
): string | undefined {
  const decision = check(args, argumentsOfCall);
  if (decision.status === 'allowed') return undefined;
  expect(decision).toMatchObject({
    decision: 'deny',
    status: 'invalid_args',
    rule: 'tools["t"]',
    ruleKey: 't',
  });
  return decision.reason;
}

describe('argument rules (fail closed)', () => {
  it('an absent argument is a violation unless optional', () => {
    expect(reasonOf({ path: {} }, {})).toBe('argument "path" is missing');
    expect(reasonOf({ path: { pattern: '/tmp/.*' } }, {})).toBe('argument "path" is missing');
    expect(reasonOf({ path: { optional: true, pattern: '/tmp/.*' } }, {})).toBeUndefined();
    expect(reasonOf({ path: { optional: true, pattern: '/tmp/.*' } }, { path: '/etc' })).toBe(
      'argument "path" does not match the pattern /tmp/.*',
    );
  });

  it('deny: true forbids the argument and accepts its absence', () => {
    expect(reasonOf({ force: { deny: true } }, { force: false })).toBe('argument "force" is not allowed');
    expect(reasonOf({ force: { deny: true } }, { force: null })).toBe('argument "force" is not allowed');
    expect(reasonOf({ force: { deny: true } }, {})).toBeUndefined();
  });

  it('pattern is a full match', () => {
    expect(reasonOf({ cmd: { pattern: 'ls' } }, { cmd: 'ls' })).toBeUndefined();
    expect(reasonOf({ cmd: { pattern: 'ls' } }, { cmd: 'ls -la' })).toBe(
      'argument "cmd" does not match the pattern ls',
    );
    expect(reasonOf({ cmd: { pattern: 'ls' } }, { cmd: 'als' })).toBe(
      'argument "cmd" does not match the pattern ls',
    );
    expect(reasonOf({ cmd: { pattern: 'ls( -[a-z]+)?' } }, { cmd: 'ls -la' })).toBeUndefined();
    expect(reasonOf({ cmd: { pattern: 'a.c' } }, { cmd: 'a\nc' })).toBe(
      'argument "cmd" does not match the pattern a.c',
    );
  });

  it('pattern and maxLength apply to strings only', () => {
    expect(reasonOf({ cmd: { pattern: '[0-9]+' } }, { cmd: 42 })).toBe('argument "cmd" must be a string');
    expect(reasonOf({ msg: { maxLength: 3 } }, { msg: ['a'] })).toBe('argument "msg" must be a string');
  });

  it('maxLength counts code points', () => {
    expect(reasonOf({ msg: { maxLength: 3 } }, { msg: '😀😀😀' })).toBeUndefined();
    expect(reasonOf({ msg: { maxLength: 3 } }, { msg: 'abc' })).toBeUndefined();
    expect(reasonOf({ msg: { maxLength: 3 } }, { msg: 'abcd' })).toBe(
      'argument "msg" is longer than 3 characters',
    );
    expect(reasonOf({ msg: { maxLength: 3 } }, { msg: '😀😀😀😀' })).toBe(
      'argument "msg" is longer than 3 characters',
    );
    expect(reasonOf({ msg: { maxLength: 0 } }, { msg: '' })).toBeUndefined();
  });

  it('min and max are inclusive and apply to numbers only', () => {
    const rule = { n: { min: 1, max: 10 } };
    expect(reasonOf(rule, { n: 1 })).toBeUndefined();
    expect(reasonOf(rule, { n: 10 })).toBeUndefined();
    expect(reasonOf(rule, { n: 5.5 })).toBeUndefined();
    expect(reasonOf(rule, { n: 11 })).toBe('argument "n" must be at most 10');
    expect(reasonOf(rule, { n: 0.5 })).toBe('argument "n" must be at least 1');
    expect(reasonOf(rule, { n: '5' })).toBe('argument "n" must be a number');
    expect(reasonOf(rule, { n: true })).toBe('argument "n" must be a number');
    expect(reasonOf({ n: { max: -1 } }, { n: -1 })).toBeUndefined();
  });

  it('enum is type-strict deep equality', () => {
    expect(reasonOf({ env: { enum: ['dev', 'staging'] } }, { env: 'prod' })).toBe(
      'argument "env" must be one of "dev", "staging"',
    );
    expect(reasonOf({ env: { enum: ['dev', 'staging'] } }, { env: 'dev' })).toBeUndefined();
    expect(reasonOf({ n: { enum: [1, 2] } }, { n: '1' })).toBe('argument "n" must be one of 1, 2');
    expect(reasonOf({ n: { enum: ['1'] } }, { n: 1 })).toBe('argument "n" must be one of "1"');
    expect(reasonOf({ v: { enum: [null] } }, { v: null })).toBeUndefined();
    expect(reasonOf({ v: { enum: [{ a: [1, { b: 2 }] }] } }, { v: { a: [1, { b: 2 }] } })).toBeUndefined();
    expect(reasonOf({ v: { enum: [{ a: 1, b: 2 }] } }, { v: { b: 2, a: 1 } })).toBeUndefined();
    expect(reasonOf({ v: { enum: [{ a: 1 }] } }, { v: { a: 1, b: 2 } })).toBeDefined();
    expect(reasonOf({ v: { enum: [[1, 2]] } }, { v: [2, 1] })).toBeDefined();
    expect(reasonOf({ v: { enum: [[1]] } }, { v: { 0: 1 } })).toBeDefined();
    expect(reasonOf({ v: { enum: [{}] } }, { v: [] })).toBeDefined();
  });

  it('arguments not named in args are not checked; the first violation in key order is reported', () => {
    expect(reasonOf({ a: { optional: true } }, { other: 'anything' })).toBeUndefined();
    expect(reasonOf({ b: { enum: [1] }, a: {} }, { b: 2 })).toBe('argument "b" must be one of 1');
    expect(reasonOf({ a: {}, b: { enum: [1] } }, { b: 2 })).toBe('argument "a" is missing');
  });

  it('argument rules are checked after a deny and before limits and approval', () => {
    const compiled = compile({
      version: '1',
      tools: {
        denied: { action: 'deny', args: { a: {} } },
        asked: { action: 'approve', args: { a: {} }, limits: [{ counter: 'c', window: 'minute', max: 1 }] },
      },
    });
    const full = fixedHits([NOW - 1]);
    expect(decide(call('denied'), compiled, full, NOW).status).toBe('denied');
    expect(decide(call('asked'), compiled, full, NOW).status).toBe('invalid_args');
    expect(decide(call('asked', { arguments: { a: 1 } }), compiled, full, NOW).status).toBe('rate_limited');
    expect(decide(call('asked', { arguments: { a: 1 } }), compiled, NO_COUNTERS, NOW).status).toBe(
      'approval_required',
    );
  });

  it('an inherited property is not an argument', () => {
    expect(reasonOf({ toString: {} }, {})).toBe('argument "toString" is missing');
  });
});
