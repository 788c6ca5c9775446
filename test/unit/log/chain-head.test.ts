// The chain head the dashboard shows is walked incrementally: new lines cost their own bytes, the answer is the full
// walk's, and a line changed after it was walked is caught when the day is walked again.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { ChainHead } from '../../../electron/gateway/log/chain-head.js';
import { verifyLog } from '../../../electron/gateway/log/verify.js';
import { record, removeDir, tempDir } from './fixtures.js';

const DAY = '2026-11-24';
let dir: string;
let now: number;
beforeEach(() => {
  dir = tempDir();
  now = Date.parse(`${DAY}T12:00:00.000Z`);
});
afterEach(() => removeDir(dir));

function write(ids: string[], day = DAY): void {
  const log = new CallLog(dir);
  for (const id of ids) {
    log.append(record(id, `${day}T10:00:00.000Z`));
    log.append({ id, ts: `${day}T10:00:01.000Z`, status: 'ok' }, `${day}T10:00:00.000Z`);
  }
  log.close();
}

describe('the chain head', () => {
  it('walks only what was appended, and answers what a full walk of the day answers', async () => {
    const head = new ChainHead(dir, () => now);
    expect(await head.verdict()).toEqual({ days: 0, records: 0, warnings: [] });
    write(['a', 'b']);
    const first = await head.verdict();
    expect(first).toMatchObject({ records: 4, headDay: DAY, warnings: [] });
    write(['c']);
    fs.appendFileSync(path.join(dir, `${DAY}.jsonl`), '{"id":"torn","ts":"2026'); // being written
    const [second, third] = await Promise.all([head.verdict(), head.verdict()]);
    expect(second).toEqual(third);
    const full = verifyLog(dir, DAY);
    expect(second).toMatchObject({ records: 6, head: full.head, headDay: DAY });
    expect(second.problem).toBeUndefined();
    write(['d'], '2026-11-25');
    expect(await head.verdict()).toMatchObject({ records: 2, headDay: '2026-11-25' });
  });

  it('catches a line changed in place at once, and one that hides its change when it walks the day again', async () => {
    write(['a', 'b', 'c']);
    const head = new ChainHead(dir, () => now);
    expect((await head.verdict()).problem).toBeUndefined();
    const file = path.join(dir, `${DAY}.jsonl`);
    const edit = (from: string, to: string) =>
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
    edit('"id":"b","ts":"2026-11-24T10:00:00.000Z"', '"id":"b","ts":"2026-11-24T10:00:09.000Z"');
    expect((await head.verdict()).problem).toMatchObject({ line: 3, what: 'changed', id: 'b' });

    // Put back, walked again; then changed with its mtime put back too: seen only when the day is walked again.
    edit('"id":"b","ts":"2026-11-24T10:00:09.000Z"', '"id":"b","ts":"2026-11-24T10:00:00.000Z"');
    const stamp = new Date('2026-11-24T11:00:00.000Z');
    fs.utimesSync(file, stamp, stamp);
    expect((await head.verdict()).problem).toBeUndefined();
    edit('"id":"c","ts":"2026-11-24T10:00:00.000Z"', '"id":"c","ts":"2026-11-24T10:00:07.000Z"');
    fs.utimesSync(file, stamp, stamp);
    expect((await head.verdict()).problem).toBeUndefined();
    now += 5 * 60_000;
    expect((await head.verdict()).problem).toMatchObject({ line: 5, what: 'changed', id: 'c' });
  });
});
