import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLinesBackward } from '../../../electron/gateway/log/backward.js';
import { readLogLines } from '../../../electron/gateway/log/reader.js';
import { removeDir, tempDir } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

/** Every line read backward, as [text, complete], and the forward reader's lines of the same file. */
function both(text: string, chunkBytes: number, maxLineBytes = 1 << 20) {
  const file = path.join(dir, 'day.jsonl');
  fs.writeFileSync(file, text);
  const backward: [string, boolean][] = [];
  const fd = fs.openSync(file, 'r');
  try {
    readLinesBackward(
      fd,
      fs.fstatSync(fd).size,
      (line, complete) => (backward.push([line, complete]), false),
      { chunkBytes, maxLineBytes },
    );
  } finally {
    fs.closeSync(fd);
  }
  const forward: string[] = [];
  readLogLines(file, (line) => forward.push(line), { chunkBytes, maxLineBytes });
  return { backward, forward };
}

describe('readLinesBackward', () => {
  it('reads lines across chunk borders, last first, as the forward reader reads them', () => {
    const text = 'first line\nsecond, longer line\n{"é":"ü"}\nx\n';
    for (const chunk of [1, 2, 3, 7, 64]) {
      const { backward, forward } = both(text, chunk);
      expect(backward.map(([l]) => l)).toEqual([...forward].reverse());
      expect(backward.every(([, complete]) => complete)).toBe(true);
    }
  });

  it('gives a torn last line first, marked incomplete', () => {
    const { backward } = both('a\nb\n{"id":"to', 3);
    expect(backward).toEqual([
      ['{"id":"to', false],
      ['b', true],
      ['a', true],
    ]);
  });

  it('stops when asked and skips a line over the cap', () => {
    const { backward } = both(`short\n${'y'.repeat(50)}\nlast\n`, 8, 20);
    expect(backward.map(([l]) => l)).toEqual(['last', 'short']);
    const file = path.join(dir, 'day.jsonl');
    const seen: string[] = [];
    const fd = fs.openSync(file, 'r');
    readLinesBackward(fd, fs.fstatSync(fd).size, (line) => (seen.push(line), true), {
      chunkBytes: 4,
      maxLineBytes: 1 << 20,
    });
    fs.closeSync(fd);
    expect(seen).toEqual(['last']);
  });

  it('agrees with the forward reader on any text and chunk size', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/\n/g, ' ')),
          { maxLength: 12 },
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 20 }),
        (lines, torn, chunk) => {
          const text = lines.join('\n') + (torn || lines.length === 0 ? '' : '\n');
          const { backward, forward } = both(text, chunk);
          // The forward reader reports empty lines too; the backward reader skips only an empty torn tail.
          expect(backward.map(([l]) => l)).toEqual([...forward].reverse());
        },
      ),
      { numRuns: 200 },
    );
  });
});
