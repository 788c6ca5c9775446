import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import type { CallRecord } from '../../../shared/call-record.js';

function record(id: string, ts: string): CallRecord {
  return {
    id,
    ts,
    grant: 'g',
    session: 's',
    server: 'ev',
    tool: 'echo',
    exposedName: 'ev__echo',
    arguments: {},
    argsHash: 'sha256:0',
    decision: 'allow',
    rule: 'default',
    reason: '',
    policyVersion: 'v',
    status: 'pending',
  };
}

describe('call log', () => {
  it('writes day files by UTC date, merges outcomes into their decision and reads newest first', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-log-'));
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
