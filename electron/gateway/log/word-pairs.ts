// The second part of a day's search index (day-index.ts): which pairs of neighbouring words the day holds, in a Bloom
// filter. A search for words that are each everywhere, but never side by side ("canary rollout milestone"), cannot be
// ruled out by the day's three-byte sequences; it can by its pairs of whole words. A word is a run of ASCII letters
// (folded to lower case), digits and bytes of other characters; anything else separates words.

/** 2²² bits (512 KiB) a day, each pair setting two of them. */
const PAIR_BITS = 1 << 22;
export const PAIRS_BYTES = PAIR_BITS / 8;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The byte as part of a word (A–Z as a–z), or -1 for a byte that separates words. */
const WORD_BYTE = new Int16Array(256).fill(-1);
for (let b = 0; b < 256; b++) {
  if ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b >= 0x80) WORD_BYTE[b] = b;
  else if (b >= 0x41 && b <= 0x5a) WORD_BYTE[b] = b + 0x20;
}

/** Where a walk through bytes stands: the word being read, and the last whole word before it. */
export interface PairWalk {
  /** FNV-1a of the word read so far, when `inWord`. */
  word: number;
  inWord: boolean;
  /** The hash of the last whole word, when `hasLast`. */
  last: number;
  hasLast: boolean;
}

export const newPairWalk = (): PairWalk => ({ word: FNV_OFFSET, inWord: false, last: 0, hasLast: false });

function pairBits(first: number, second: number): [number, number] {
  const h = Math.imul(first ^ Math.imul(second, 0x9e3779b1), 0x85ebca6b) >>> 0;
  const g = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) >>> 0;
  return [h & (PAIR_BITS - 1), g & (PAIR_BITS - 1)];
}

/** Adds the pairs of neighbouring words of `bytes` to `pairs`, going on from (and updating) `walk`. */
export function addWordPairs(pairs: Uint8Array, bytes: Uint8Array, walk: PairWalk): void {
  // Numbers and booleans only, in locals: this runs for every byte of a day.
  let { word, inWord, last, hasLast } = walk;
  for (let i = 0; i < bytes.length; i++) {
    const c = WORD_BYTE[bytes[i] as number] as number;
    if (c >= 0) {
      word = Math.imul((inWord ? word : FNV_OFFSET) ^ c, FNV_PRIME);
      inWord = true;
      continue;
    }
    if (!inWord) continue;
    if (hasLast) {
      // pairBits, inlined: no pair of numbers made per word.
      const h = Math.imul(last ^ Math.imul(word, 0x9e3779b1), 0x85ebca6b) >>> 0;
      const g = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) >>> 0;
      const a = h & (PAIR_BITS - 1);
      const b = g & (PAIR_BITS - 1);
      pairs[a >>> 3] = (pairs[a >>> 3] as number) | (1 << (a & 7));
      pairs[b >>> 3] = (pairs[b >>> 3] as number) | (1 << (b & 7));
    }
    last = word;
    hasLast = true;
    inWord = false;
  }
  Object.assign(walk, { word, inWord, last, hasLast });
}

/**
 * The pairs of whole words a text must hold wherever it stands: those of its words with a separator on both sides
 * within it (its first and last words may be parts of longer ones).
 */
export function wholeWordPairs(text: Buffer): [number, number][] {
  const words: { hash: number; whole: boolean }[] = [];
  let word: number | undefined;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? (WORD_BYTE[text[i] as number] as number) : -1;
    if (c >= 0) {
      if (word === undefined) start = i;
      word = Math.imul((word ?? FNV_OFFSET) ^ c, FNV_PRIME);
    } else if (word !== undefined) {
      words.push({ hash: word, whole: start > 0 && i < text.length });
      word = undefined;
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 1; i < words.length; i++) {
    const [a, b] = [words[i - 1], words[i]] as [(typeof words)[0], (typeof words)[0]];
    if (a.whole && b.whole) pairs.push(pairBits(a.hash, b.hash));
  }
  return pairs;
}

/** Whether `pairs` may hold every pair (a Bloom filter: false means certainly not). */
export function mayHoldPairs(pairs: Uint8Array, wanted: readonly [number, number][]): boolean {
  const has = (bit: number) => ((pairs[bit >>> 3] as number) & (1 << (bit & 7))) !== 0;
  return wanted.every(([a, b]) => has(a) && has(b));
}
