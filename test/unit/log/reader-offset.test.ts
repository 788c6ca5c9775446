// Reading a day file from a byte offset (the tail after the counters' checkpoint): the same lines as a read from the
// start gives after that offset, whatever the chunk size, lines across chunk borders included.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forEachCharge, readLogLines } from '../../../electron/gateway/log/reader.js';
import { record, removeDir, tempDir } from './fixtures.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, '2026-11-24.jsonl');
});
afterEach(() => removeDir(dir));

describe('readLogLines from an offset', () => {
  it('gives the lines after it, as a whole read does, at every chunk size', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i} ${'é'.repeat(i % 13)}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const starts = lines.map((_, i) =>
      Buffer.byteLength(
        lines
          .slice(0, i)
          .map((l) => `${l}\n`)
          .join(''),
      ),
    );
    for (const chunkBytes of [7, 64, 4096]) {
      for (const [i, from] of starts.entries()) {
        const seen: [string, number][] = [];
        readLogLines(
          file,
          (line, index) => seen.push([line, index]),
          { chunkBytes, maxLineBytes: 1024 },
          from,
        );
        expect(seen).toEqual(lines.slice(i).map((line, n) => [line, n]));
      }
    }
  });

  it('at the end of the file reads nothing', () => {
    fs.writeFileSync(file, 'one\ntwo\n');
    const seen: string[] = [];
    const read = readLogLines(file, (line) => seen.push(line), undefined, fs.statSync(file).size);
    expect(seen).toEqual([]);
    expect(read?.reads).toBe(0);
  });
});

describe('forEachCharge from an offset', () => {
  it('charges only the lines after it', () => {
    const charged = (id: string) =>
      `${JSON.stringify(record(id, '2026-11-24T10:00:00.000Z', { charges: [{ key: id, windowMs: 60_000 }] }))}\n`;
    fs.writeFileSync(file, charged('before'));
    const from = fs.statSync(file).size;
    fs.appendFileSync(file, charged('after'));
    const keys: string[] = [];
    forEachCharge(file, (_, charges) => keys.push(...charges.map((c) => c.key)), from);
    expect(keys).toEqual(['after']);
    forEachCharge(file, (_, charges) => keys.push(...charges.map((c) => c.key)));
    expect(keys).toEqual(['after', 'before', 'after']);
  });
});
