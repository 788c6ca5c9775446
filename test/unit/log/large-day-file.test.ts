// A day file of any size is read a chunk at a time, never whole into one string: a restart (the counters rebuilt
// from the log) and a query work on a file larger than the longest string V8 can make, and a line longer than the
// cap is skipped and counted instead of read.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { queryCalls } from '../../../electron/gateway/log/query.js';
import { readAllRecords, readLogLines } from '../../../electron/gateway/log/reader.js';
import { CounterStore } from '../../../electron/gateway/policy/counters.js';
import { rebuildCounters } from '../../../electron/gateway/state/counter-rebuild.js';
import { record, removeDir, tempDir } from './fixtures.js';

const DAY = '2026-11-24';
const NOW = Date.parse(`${DAY}T12:00:00.000Z`);
const HOUR = 3_600_000;
/** Past V8's longest string (2^29 − 24 characters): a file this size could never be read whole. */
const HUGE = 600 * 1024 * 1024;

let dir: string;
let file: string;
beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, `${DAY}.jsonl`);
});
afterEach(() => {
  vi.restoreAllMocks();
  removeDir(dir);
});

const charged = (id: string, minutesAgo: number) =>
  record(id, new Date(NOW - minutesAgo * 60_000).toISOString(), {
    charges: [{ key: 'rate', windowMs: HOUR }],
  });

/** Two charged calls around one line of 600 MB (a sparse hole of zero bytes: made at once, read quickly). */
function hugeDayFile(): void {
  const log = new CallLog(dir);
  log.append(charged('before', 30));
  log.close();
  const fd = fs.openSync(file, 'r+');
  fs.ftruncateSync(fd, fs.fstatSync(fd).size + HUGE);
  fs.closeSync(fd);
  fs.appendFileSync(file, '\n');
  const again = new CallLog(dir);
  again.append(charged('after', 10));
  again.append({ id: 'after', ts: new Date(NOW - 9 * 60_000).toISOString(), status: 'ok', durationMs: 5 });
  again.close();
}

describe('readLogLines', () => {
  it('reads with a fixed-size buffer, a line at a time, whatever the file’s size', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'é'.repeat(i % 97)}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const seen: string[] = [];
    const read = readLogLines(file, (line) => seen.push(line), { chunkBytes: 64, maxLineBytes: 1024 });
    expect(seen).toEqual(lines);
    expect(read!.largestRead).toBe(64);
    expect(read!.reads).toBeGreaterThan(fs.statSync(file).size / 64 - 1);
    expect(read!.longLines).toBe(0);
  });

  it('skips a line longer than the cap, counts it, and reads on', () => {
    fs.writeFileSync(file, `first\n${'x'.repeat(5000)}\nthird\n${'y'.repeat(3000)}`);
    const seen: [string, number][] = [];
    const read = readLogLines(file, (line, index) => seen.push([line, index]), {
      chunkBytes: 256,
      maxLineBytes: 2048,
    });
    expect(seen).toEqual([
      ['first', 0],
      ['third', 2],
    ]);
    expect(read!.longLines).toBe(2);
  });

  it('reads no folder, no device and no file that is gone', () => {
    fs.mkdirSync(file);
    expect(readLogLines(file, () => undefined)).toBeUndefined();
    fs.rmdirSync(file);
    fs.symlinkSync('/dev/zero', file);
    expect(readLogLines(file, () => undefined)).toBeUndefined();
    fs.unlinkSync(file);
    expect(readLogLines(file, () => undefined)).toBeUndefined();
  });
});

describe('a day file larger than any string', () => {
  it('a restart rebuilds the counters from it in 64 KiB reads', () => {
    hugeDayFile();
    const readFileSync = vi.spyOn(fs, 'readFileSync');
    const readSync = vi.spyOn(fs, 'readSync');
    const counters = new CounterStore();
    expect(rebuildCounters(dir, counters, NOW)).toBe(2);
    expect(counters.countInWindow('rate', HOUR, NOW)).toBe(2);
    expect(readFileSync.mock.calls.filter(([p]) => String(p).endsWith('.jsonl'))).toEqual([]);
    const asked = readSync.mock.calls.map((call) => Number((call as unknown[])[3]));
    expect(Math.max(...asked)).toBeLessThanOrEqual(64 * 1024);
  }, 60_000);

  it('a query pages through it, the long line skipped', async () => {
    hugeDayFile();
    const page = await queryCalls(dir, { limit: 10 });
    expect(page.calls.map((c) => [c.id, c.status])).toEqual([
      ['after', 'ok'],
      ['before', 'pending'],
    ]);
    const all = readAllRecords(dir);
    expect(all.records).toHaveLength(2);
    expect(all.skippedLines).toBe(1);
  }, 60_000);
});

describe('counters rebuilt from the log', () => {
  it('charge a call approved later at its release, from its outcome line', () => {
    const log = new CallLog(dir);
    const asked = new Date(NOW - 2 * HOUR).toISOString();
    log.append(record('approved', asked));
    log.append({
      id: 'approved',
      ts: new Date(NOW - 10 * 60_000).toISOString(),
      status: 'pending',
      charges: [{ key: 'rate', windowMs: HOUR }],
    });
    log.close();
    const counters = new CounterStore();
    expect(rebuildCounters(dir, counters, NOW)).toBe(1);
    expect(counters.countInWindow('rate', HOUR, NOW)).toBe(1);
  });
});
