import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { record, tempDir } from './fixtures.js';

describe('call log', () => {
  it('writes day files by UTC date, merges outcomes into their decision and reads newest first', () => {
    const dir = tempDir();
    const log = new CallLog(dir);
    log.append(record('a', '2026-11-23T23:59:59.000Z'));
    log.append(
      { id: 'a', ts: '2026-11-24T00:00:01.000Z', status: 'ok', durationMs: 2000 },
      '2026-11-23T23:59:59.000Z',
    );
    log.append(record('b', '2026-11-24T00:00:02.000Z'));
    log.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['2026-11-23.jsonl', '2026-11-24.jsonl']);
    fs.appendFileSync(path.join(dir, '2026-11-24.jsonl'), '{"id":"c","ts":"2026-11-24T00:0');
    const { records, skippedLines } = readAllRecords(dir);
    expect(records.map((r) => [r.id, r.status])).toEqual([
      ['b', 'pending'],
      ['a', 'ok'],
    ]);
    expect(records[1]!.durationMs).toBe(2000);
    expect(skippedLines).toBe(1);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('outcome lines', () => {
  it('update status, duration, error, reason and approval, and add their charges to the decision', () => {
    const dir = tempDir();
    const log = new CallLog(dir);
    const ts = '2026-11-24T10:00:00.000Z';
    log.append({ ...record('a', ts), charges: [{ key: 'sums', windowMs: 60_000 }] });
    log.append({
      id: 'a',
      ts: '2026-11-24T10:00:05.000Z',
      status: 'error',
      durationMs: 5000,
      error: 'boom',
      reason: 'approved, then refused at release',
      approval: { decision: 'approve', by: 'the user', at: ts },
      charges: [{ key: 'late', windowMs: 1000 }],
      resultPreview: 'Echo: hi',
    });
    log.close();
    const [merged] = readAllRecords(dir).records;
    expect(merged).toMatchObject({
      status: 'error',
      durationMs: 5000,
      error: 'boom',
      reason: 'approved, then refused at release',
      approval: { decision: 'approve', by: 'the user' },
      charges: [
        { key: 'sums', windowMs: 60_000 },
        { key: 'late', windowMs: 1000 },
      ],
    });
    expect(merged?.resultPreview).toBe('Echo: hi');
    fs.rmSync(dir, { recursive: true });
  });
});
