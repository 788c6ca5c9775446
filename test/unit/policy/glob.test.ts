import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, matchesPattern, patternContains } from '../../../electron/gateway/policy/glob.js';

const alphabet = fc.constantFrom('a', 'b', '*');
const pattern = fc.array(alphabet, { maxLength: 6 }).map((chars) => chars.join(''));
const name = fc.array(fc.constantFrom('a', 'b'), { maxLength: 8 }).map((chars) => chars.join(''));

/** A slow reference: the glob as a regular expression. */
function reference(glob: string, text: string): boolean {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(text);
}

/** Every name up to `maxLength` over a, b and c — c being a letter no pattern uses, like most real characters. */
function allNames(maxLength: number): string[] {
  const names = [''];
  for (let length = 1; length <= maxLength; length += 1) {
    for (const prefix of names.filter((n) => n.length === length - 1))
      names.push(`${prefix}a`, `${prefix}b`, `${prefix}c`);
  }
  return names;
}

describe('tool-name patterns', () => {
  it('* is the only wildcard; everything else is literal', () => {
    expect(matchesPattern(compilePattern('a.b'), 'a.b')).toBe(true);
    expect(matchesPattern(compilePattern('a.b'), 'axb')).toBe(false);
    expect(matchesPattern(compilePattern('a?'), 'ab')).toBe(false);
    expect(matchesPattern(compilePattern('*'), '')).toBe(true);
    expect(matchesPattern(compilePattern('a*a'), 'a')).toBe(false);
    expect(matchesPattern(compilePattern('a*a'), 'aa')).toBe(true);
    expect(patternContains('*ab*', 'a*b')).toBe(false);
    expect(patternContains('a*', 'ab*c')).toBe(true);
    expect(patternContains('*', '')).toBe(true);
    expect(compilePattern('get_*').literals).toBe(4);
  });

  it('matches exactly like the reference regular expression', () => {
    fc.assert(
      fc.property(
        pattern,
        name,
        (glob, text) => matchesPattern(compilePattern(glob), text) === reference(glob, text),
      ),
    );
  });

  it('containment agrees with brute force over every short name', () => {
    const names = allNames(6);
    fc.assert(
      fc.property(pattern, pattern, (outer, inner) => {
        const contained = names.every(
          (text) =>
            !matchesPattern(compilePattern(inner), text) || matchesPattern(compilePattern(outer), text),
        );
        // When containment fails, `inner` with each * read as c is a counterexample: at most 6 characters.
        expect(patternContains(outer, inner)).toBe(contained);
      }),
      { numRuns: 1000 },
    );
  });
});
