// The runs of neighbouring words of a day: what a text must hold wherever it stands, and a Bloom filter that never
// says a run it was given is missing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWordRuns,
  bitOf,
  mayHoldRuns,
  newRunWalk,
  RUNS_BYTES,
  wholeWordRuns,
} from '../../../electron/gateway/log/word-runs.js';

function runsOf(...texts: string[]): (bit: number) => boolean {
  const runs = new Uint8Array(RUNS_BYTES);
  const walk = newRunWalk();
  for (const text of texts) addWordRuns(runs, Buffer.from(text), walk);
  return (bit) => bitOf(runs, bit);
}
const wanted = (text: string) => wholeWordRuns(Buffer.from(text));

describe('runs of whole words', () => {
  it('are the pairs and triples of words with a separator on both sides within the text', () => {
    expect(wanted('canary rollout')).toEqual([]);
    expect(wanted('canary rollout milestone')).toEqual([]);
    expect(wanted('a canary rollout b')).toHaveLength(1);
    expect(wanted('a canary rollout milestone b')).toHaveLength(3);
    expect(wanted('"server":"k8s"')).toHaveLength(1);
    // Letters folded; the separators between two words do not matter.
    expect(wanted('x Canary-ROLLOUT y')).toEqual(wanted('x canary rollout y'));
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
          const has = runsOf(text.slice(0, at), text.slice(at));
          expect(mayHoldRuns(has, wanted(piece))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('are missing when the words never stand side by side, or never three in that order', () => {
    const has = runsOf('canary went out; rollout held; milestone met');
    expect(mayHoldRuns(has, wanted('a canary rollout milestone b'))).toBe(false);
    expect(mayHoldRuns(has, wanted('x rollout held y'))).toBe(true);
    const pairsOnly = runsOf('canary rollout; rollout milestone; milestone queue');
    expect(mayHoldRuns(pairsOnly, wanted('a canary rollout b'))).toBe(true);
    expect(mayHoldRuns(pairsOnly, wanted('a canary rollout milestone b'))).toBe(false);
  });
});
