// The pairs of neighbouring words of a day: what a text must hold wherever it stands, and a Bloom filter that never
// says a pair it was given is missing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWordPairs,
  mayHoldPairs,
  newPairWalk,
  PAIRS_BYTES,
  wholeWordPairs,
} from '../../../electron/gateway/log/word-pairs.js';

function pairsOf(...texts: string[]): Uint8Array {
  const pairs = new Uint8Array(PAIRS_BYTES);
  const walk = newPairWalk();
  for (const text of texts) addWordPairs(pairs, Buffer.from(text), walk);
  return pairs;
}

describe('pairs of whole words', () => {
  it('are those of words with a separator on both sides within the text', () => {
    expect(wholeWordPairs(Buffer.from('canary rollout'))).toEqual([]);
    expect(wholeWordPairs(Buffer.from('canary rollout milestone'))).toEqual([]);
    expect(wholeWordPairs(Buffer.from('a canary rollout b'))).toHaveLength(1);
    expect(wholeWordPairs(Buffer.from('"server":"k8s"'))).toHaveLength(1);
    // Letters folded; the separators between two words do not matter.
    expect(wholeWordPairs(Buffer.from('x Canary-ROLLOUT y'))).toEqual(
      wholeWordPairs(Buffer.from('x canary rollout y')),
    );
  });

  it('are held by any text that holds the searched text, across the reads it came in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('canary', 'rollout', 'k8s', 'Deploy', ' ', '-', '"', ':', 'é', '\n'), {
          maxLength: 40,
        }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (parts, a, b, cut) => {
          const text = parts.join('');
          const from = text.length === 0 ? 0 : a % text.length;
          const piece = text.slice(from, from + (b % 30));
          const at = text.length === 0 ? 0 : cut % text.length;
          const pairs = pairsOf(text.slice(0, at), text.slice(at));
          expect(mayHoldPairs(pairs, wholeWordPairs(Buffer.from(piece)))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('are missing when the words never stand side by side', () => {
    const pairs = pairsOf('canary went out; rollout held; milestone met');
    expect(mayHoldPairs(pairs, wholeWordPairs(Buffer.from('a canary rollout milestone b')))).toBe(false);
    expect(mayHoldPairs(pairs, wholeWordPairs(Buffer.from('x rollout held y')))).toBe(true);
  });
});
