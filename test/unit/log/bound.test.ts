// What one record may hold: long strings keep a prefix, their length and a hash of the whole; long arrays and objects,
// deep nesting and the value as a whole are bounded too; what fits is kept as it is, without a copy.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boundString, boundValue, LOG_BOUNDS } from '../../../electron/gateway/log/bound.js';

const size = (value: unknown) => JSON.stringify(value).length;
const GHP = `ghp_${'Zq8'.repeat(12)}`;

describe('boundValue', () => {
  it('keeps what fits as it is: the same object, no copy', () => {
    const args = { message: 'hello', n: 3, list: [1, 'two', { three: true }], nested: { a: { b: null } } };
    expect(boundValue(args)).toBe(args);
    expect(boundValue('short')).toBe('short');
  });

  it('cuts a 1 MiB string to a 4 KiB prefix, its length and the sha256 of the whole', () => {
    const big = 'x'.repeat(1024 * 1024);
    const out = boundValue({ content: big, keep: 'me' }) as { content: string; keep: string };
    const hash = crypto.createHash('sha256').update(big).digest('hex');
    expect(out.content).toBe(`${'x'.repeat(4096)}… [truncated: 1048576 characters, sha256 ${hash}]`);
    expect(out.keep).toBe('me');
  });

  it('never leaves the unredacted head of a token at the cut', () => {
    for (const at of [4080, 4090, 4095, 4100]) {
      const text = `${'word '.repeat(at / 5)}${GHP} ${'y'.repeat(8000)}`;
      const out = boundString(text, 4096);
      expect(out).not.toContain('ghp_Zq8');
      expect(out).not.toContain('Zq8Zq8');
    }
    const glued = `${'z'.repeat(4090)}${GHP}${'z'.repeat(8000)}`;
    expect(boundString(glued, 4096).length).toBeLessThan(4096 + 150);
  });

  it('bounds a huge array, an object with many keys, and deep nesting — and says what it left out', () => {
    const array = Array.from({ length: 100_000 }, (_, i) => i);
    const out = boundValue({ array }) as { array: unknown[] };
    expect(out.array).toHaveLength(LOG_BOUNDS.maxItems + 1);
    expect(out.array.at(-1)).toBe('[truncated: 99000 more items]');

    const keys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const keysOut = boundValue(keys) as Record<string, unknown>;
    expect(Object.keys(keysOut)).toHaveLength(LOG_BOUNDS.maxItems + 1);
    expect(keysOut['[truncated]']).toBe('4000 more keys');

    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const deepOut = JSON.stringify(boundValue(deep));
    expect(deepOut).toContain('[truncated: nested deeper than 32 levels]');
    expect(deepOut.length).toBeLessThan(1000);
  });

  it('caps the value as a whole: many long strings stay near the budget', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `${i}`.padEnd(4096, 'v'));
    const out = boundValue({ many }) as { many: unknown[] };
    expect(size(out)).toBeLessThan(LOG_BOUNDS.budget + 2 * 4096);
    expect(out.many.at(-1)).toMatch(/^\[truncated: \d+ more items\]$/);
    const wide = Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`key${i}`.padEnd(4000, 'k'), 1]));
    expect(size(boundValue(wide))).toBeLessThan(LOG_BOUNDS.budget + 2 * 4096);
  });

  it('bounds a long key like a long string', () => {
    const key = 'k'.repeat(10_000);
    const out = boundValue({ [key]: 1 }) as Record<string, unknown>;
    const [only] = Object.keys(out);
    expect(only!.length).toBeLessThan(4096 + 150);
    expect(only).toContain('[truncated: 10000 characters, sha256 ');
  });
});

describe('boundValue and odd keys', () => {
  it('keeps an argument named __proto__ as an own key of the copy', () => {
    const args = JSON.parse(`{"__proto__": {"polluted": true}, "big": "${'x'.repeat(5000)}"}`) as Record<
      string,
      unknown
    >;
    const out = boundValue(args) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'big']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(out))).toMatchObject({
      big: expect.stringContaining('[truncated: 5000'),
    });
    expect(JSON.stringify(out)).toContain('"__proto__":{"polluted":true}');
  });
});
