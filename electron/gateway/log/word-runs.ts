// The second part of a day's search index (day-index.ts): which runs of two and three neighbouring words the day
// holds, in a Bloom filter. A search for words that are each everywhere, but never in that order ("canary rollout
// milestone queue"), cannot be ruled out by the day's three-byte sequences; it can by its runs of whole words. A word
// is a run of ASCII letters (folded to lower case), digits and bytes of other characters; anything else separates
// words.

/** 2²⁴ bits (2 MiB) a day, each run setting two of them. */
const RUN_BITS = 1 << 24;
export const RUNS_BYTES = RUN_BITS / 8;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The byte as part of a word (A–Z as a–z), or -1 for a byte that separates words. */
const WORD_BYTE = new Int16Array(256).fill(-1);
for (let b = 0; b < 256; b++) {
  if ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b >= 0x80) WORD_BYTE[b] = b;
  else if (b >= 0x41 && b <= 0x5a) WORD_BYTE[b] = b + 0x20;
}

/** Where a walk through bytes stands: the word being read, and the two whole words before it. */
export interface RunWalk {
  /** FNV-1a of the word read so far, when `inWord`. */
  word: number;
  inWord: boolean;
  /** The hashes of the last two whole words; `words` of them are known (0 to 2). */
  last: number;
  before: number;
  words: number;
}

export const newRunWalk = (): RunWalk => ({ word: FNV_OFFSET, inWord: false, last: 0, before: 0, words: 0 });

/** The hash of a run: a pair's (`third` undefined) or a triple's. */
function runHash(first: number, second: number, third?: number): number {
  const pair = Math.imul(first ^ Math.imul(second, 0x9e3779b1), 0x85ebca6b);
  return (third === undefined ? pair : Math.imul(pair ^ Math.imul(third, 0x27d4eb2f), 0x165667b1)) >>> 0;
}

/** The second of the two bits a run's hash sets (the first is its low bits). */
function secondBit(h: number): number {
  return (Math.imul(h ^ (h >>> 15), 0xc2b2ae35) >>> 0) & (RUN_BITS - 1);
}

/** The two bits a run's hash sets. */
function runBits(h: number): [number, number] {
  return [h & (RUN_BITS - 1), secondBit(h)];
}

function setBit(runs: Uint8Array, bit: number): void {
  runs[bit >>> 3] = (runs[bit >>> 3] as number) | (1 << (bit & 7));
}

/** Sets a run's two bits (runBits, without making a pair of numbers: this runs for every word of a day). */
function setRun(runs: Uint8Array, h: number): void {
  setBit(runs, h & (RUN_BITS - 1));
  setBit(runs, secondBit(h));
}

/** Adds the runs of neighbouring words of `bytes` to `runs`, going on from (and updating) `walk`. */
export function addWordRuns(runs: Uint8Array, bytes: Uint8Array, walk: RunWalk): void {
  // Numbers and booleans in locals: this runs for every byte of a day.
  let { word, inWord, last, before, words } = walk;
  for (let i = 0; i < bytes.length; i++) {
    const c = WORD_BYTE[bytes[i] as number] as number;
    if (c >= 0) {
      word = Math.imul((inWord ? word : FNV_OFFSET) ^ c, FNV_PRIME);
      inWord = true;
      continue;
    }
    if (!inWord) continue;
    if (words >= 1) setRun(runs, runHash(last, word));
    if (words >= 2) setRun(runs, runHash(before, last, word));
    before = last;
    last = word;
    words = Math.min(words + 1, 2);
    inWord = false;
  }
  Object.assign(walk, { word, inWord, last, before, words });
}

/**
 * The bits of the runs of whole words a text must hold wherever it stands: its pairs and triples of words with a
 * separator on both sides within it (its first and last words may be parts of longer ones).
 */
export function wholeWordRuns(text: Buffer): [number, number][] {
  const whole: number[][] = [[]];
  let word: number | undefined;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? (WORD_BYTE[text[i] as number] as number) : -1;
    if (c >= 0) {
      if (word === undefined) start = i;
      word = Math.imul((word ?? FNV_OFFSET) ^ c, FNV_PRIME);
    } else if (word !== undefined) {
      // A word cut by the text's start or end breaks the sequence of whole words.
      if (start > 0 && i < text.length) (whole.at(-1) as number[]).push(word);
      else whole.push([]);
      word = undefined;
    }
  }
  const runs: [number, number][] = [];
  for (const seq of whole)
    for (let i = 1; i < seq.length; i++) {
      runs.push(runBits(runHash(seq[i - 1] as number, seq[i] as number)));
      if (i >= 2) runs.push(runBits(runHash(seq[i - 2] as number, seq[i - 1] as number, seq[i] as number)));
    }
  return runs;
}

/** Whether every run may be there, `has` telling a bit of the filter (a Bloom filter: false means certainly not). */
export function mayHoldRuns(has: (bit: number) => boolean, wanted: readonly [number, number][]): boolean {
  return wanted.every(([a, b]) => has(a) && has(b));
}

/** A filter's bit, in its bytes. */
export function bitOf(runs: Uint8Array, bit: number): boolean {
  return ((runs[bit >>> 3] as number) & (1 << (bit & 7))) !== 0;
}
