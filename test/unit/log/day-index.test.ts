// The search index of a closed day file: it rules a day out only when the day cannot hold what is looked for, it
// follows lines appended after it was built, and it vouches for nothing it was not built from.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planFilter, type CallFilter } from '../../../electron/gateway/log/call-filter.js';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { DayIndexes } from '../../../electron/gateway/log/day-index.js';
import { indexClosedDays } from '../../../electron/gateway/log/log-indexer.js';
import { record, removeDir, tempDir } from './fixtures.js';

const DAY = '2026-11-23';
let dir: string;
let indexDir: string;
let file: string;
beforeEach(() => {
  dir = tempDir();
  indexDir = path.join(dir, 'index');
  file = path.join(dir, `${DAY}.jsonl`);
  const log = new CallLog(dir);
  log.append(
    record('a', `${DAY}T10:00:00.000Z`, {
      server: 'fs',
      tool: 'Read_File',
      arguments: { path: '/tmp/Report "Q3".pdf' },
    }),
  );
  log.append(
    { id: 'a', ts: `${DAY}T10:00:01.000Z`, status: 'error', error: 'ECONNRESET' },
    `${DAY}T10:00:00.000Z`,
  );
  log.close();
});
afterEach(() => removeDir(dir));

const mayHold = (indexes: DayIndexes, filter: CallFilter) =>
  indexes.mayHold(DAY, file, planFilter(filter).literals);

describe('the day search index', () => {
  it('rules a day out only when it cannot hold what is looked for', async () => {
    const indexes = new DayIndexes(indexDir);
    expect(await indexClosedDays(dir, indexes, '2026-11-24')).toEqual([DAY]);
    for (const held of [
      { q: 'report' },
      { q: 'REPORT "q3"' }, // JSON-escaped in the line
      { q: 'econnreset' }, // in the outcome line
      { server: 'fs' },
      { tool: 'Read_File', status: 'error' },
      { q: 'x' }, // too short to rule out
      {},
    ])
      expect(mayHold(indexes, held), JSON.stringify(held)).toBe(true);
    for (const absent of [
      { q: 'invoice' },
      { server: 'gh' },
      { status: 'denied' },
      { server: 'fs', q: 'invoice' },
    ])
      expect(mayHold(indexes, absent), JSON.stringify(absent)).toBe(false);
    // Letters are folded in the index: a field filter differing only in case cannot be ruled out by it.
    expect(mayHold(indexes, { tool: 'read_file' })).toBe(true);
  });

  it('rules out words that are each in the day but never side by side, and never what it holds', async () => {
    const text =
      'canary went out; rollout held; milestone met; to the canary-rollout now; a rollout, b; milestone queue';
    fs.appendFileSync(
      file,
      `${JSON.stringify({ id: 'a', ts: `${DAY}T11:00:00.000Z`, status: 'ok', reason: text })}\n`,
    );
    const indexes = new DayIndexes(indexDir);
    await indexClosedDays(dir, indexes, '2026-11-24');
    // Every piece of what the day holds is found, wherever it is cut.
    for (let from = 0; from < text.length; from += 7)
      for (const length of [3, 9, 17, 30]) {
        const piece = text.slice(from, from + length).trim();
        if (piece.length > 0) expect(mayHold(indexes, { q: piece }), piece).toBe(true);
      }
    // Each word is there, and each three letters of these: only their pairs rule them out.
    expect(mayHold(indexes, { q: 'a rollout milestone b' })).toBe(false);
    expect(mayHold(indexes, { q: 'went rollout held' })).toBe(false);
  });

  it('reads what was appended after it was built, and is rebuilt when stale', async () => {
    const indexes = new DayIndexes(indexDir);
    await indexClosedDays(dir, indexes, '2026-11-24');
    expect(mayHold(indexes, { q: 'late-outcome' })).toBe(false);
    fs.appendFileSync(
      file,
      `${JSON.stringify({ id: 'a', ts: `${DAY}T23:59:59.000Z`, status: 'ok', reason: 'late-outcome' })}\n`,
    );
    expect(mayHold(indexes, { q: 'late-outcome' })).toBe(true);
    expect(await indexClosedDays(dir, indexes, '2026-11-24')).toEqual([DAY]);
    expect(mayHold(new DayIndexes(indexDir), { q: 'late-outcome' })).toBe(true);
    expect(await indexClosedDays(dir, indexes, '2026-11-24')).toEqual([]);
  });

  it('vouches for nothing it was not built from: no index, today, a replaced file, a broken index', async () => {
    const indexes = new DayIndexes(indexDir);
    expect(mayHold(indexes, { q: 'invoice' })).toBe(true);
    expect(await indexClosedDays(dir, indexes, DAY)).toEqual([]); // today's file is still written
    await indexClosedDays(dir, indexes, '2026-11-24');
    const copy = `${file}.copy`;
    fs.copyFileSync(file, copy);
    fs.renameSync(copy, file); // another file under the same name
    expect(mayHold(indexes, { q: 'invoice' })).toBe(true);
    await indexClosedDays(dir, indexes, '2026-11-24');
    fs.writeFileSync(path.join(indexDir, `${DAY}.tri`), 'not an index');
    expect(mayHold(new DayIndexes(indexDir), { q: 'invoice' })).toBe(true);
  });

  it('cannot rule out a text search in a day holding a character whose lower case is ASCII', async () => {
    fs.appendFileSync(
      file,
      `${JSON.stringify({ id: 'a', ts: `${DAY}T11:00:00.000Z`, status: 'ok', reason: '\u212aEY' })}\n`,
    );
    const indexes = new DayIndexes(indexDir);
    await indexClosedDays(dir, indexes, '2026-11-24');
    expect(mayHold(indexes, { q: 'key' })).toBe(true);
    expect(mayHold(indexes, { server: 'key' })).toBe(false);
  });

  it('is removed with its day file', async () => {
    const indexes = new DayIndexes(indexDir);
    await indexClosedDays(dir, indexes, '2026-11-24');
    expect(fs.readdirSync(indexDir)).toEqual([`${DAY}.tri`]);
    fs.unlinkSync(file);
    await indexClosedDays(dir, indexes, '2026-11-24');
    expect(fs.readdirSync(indexDir)).toEqual([]);
  });
});
