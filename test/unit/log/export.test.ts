import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import {
  csvCell,
  exportedCalls as exportSteps,
  exportHeader,
  exportLine,
} from '../../../electron/gateway/log/export.js';
import type { CallRecord } from '../../../shared/call-record.js';

/** The calls an export yields (without its turns for the event loop). */
const exportedCalls = (...args: Parameters<typeof exportSteps>): CallRecord[] =>
  [...exportSteps(...args)].filter((r) => r !== undefined);
import { record, removeDir, tempDir } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

describe('a CSV cell', () => {
  it('quotes as RFC 4180 says', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(csvCell({ a: 1, b: 'x' })).toBe('"{""a"":1,""b"":""x""}"');
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1+1`).slice(0, 2)).not.toBe(start);
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('the calls exported', () => {
  function writeLog() {
    const log = new CallLog(dir);
    log.append(record('old', '2026-11-23T09:00:00.000Z', { tool: 'echo', server: 'ev' }));
    log.append({ id: 'old', ts: '2026-11-23T09:00:01.000Z', status: 'ok', durationMs: 3 });
    log.append(record('b', '2026-11-24T10:00:01.000Z', { tool: 'add', server: 'ev', status: 'denied' }));
    log.append(record('a', '2026-11-24T10:00:00.000Z', { tool: 'echo', server: 'fs', reason: '=cmd|x' }));
    log.close();
  }

  it('are oldest first (in the order written, as GET /api/calls pages newest first), outcomes joined, filtered as GET /api/calls filters', () => {
    writeLog();
    const ids = (query: object) => exportedCalls(dir, query).map((r) => r.id);
    expect(ids({})).toEqual(['old', 'b', 'a']);
    expect(exportedCalls(dir, {})[0]).toMatchObject({ status: 'ok', durationMs: 3 });
    expect(ids({ tool: 'echo' })).toEqual(['old', 'a']);
    expect(ids({ server: 'ev', status: 'denied' })).toEqual(['b']);
    expect(ids({ since: '2026-11-24T10:00:00.500Z' })).toEqual(['b']);
    expect(ids({ q: 'CMD' })).toEqual(['a']);
  });

  it('streams: a call whose outcome comes long after it is joined to it, its outcome looked for further on', () => {
    const log = new CallLog(dir);
    const at = (s: number) => `2026-11-24T10:00:${String(s).padStart(2, '0')}.000Z`;
    log.append(record('asked', at(0)));
    for (let i = 1; i <= 5; i++) {
      log.append(record(`c${i}`, at(i)));
      log.append({ id: `c${i}`, ts: at(i), status: 'ok' }, at(i));
    }
    log.append(
      { id: 'asked', ts: at(30), status: 'pending', charges: [{ key: 'k', windowMs: 60_000 }] },
      at(0),
    );
    log.append({ id: 'asked', ts: at(31), status: 'ok', durationMs: 9 }, at(0));
    log.close();
    for (const maxWaiting of [1, 2, 10_000]) {
      const calls = [...exportSteps(dir, {}, undefined, maxWaiting)].filter((r) => r !== undefined);
      expect(calls.map((c) => c.id)).toEqual(['asked', 'c1', 'c2', 'c3', 'c4', 'c5']);
      expect(calls[0]).toMatchObject({
        status: 'ok',
        durationMs: 9,
        charges: [{ key: 'k', windowMs: 60_000 }],
      });
      expect(calls.every((c) => c.status === 'ok')).toBe(true);
    }
  });

  it('as JSONL (without the chain’s fields) and as CSV with a header row', () => {
    writeLog();
    const calls = exportedCalls(dir, { server: 'fs' });
    const jsonl = calls.map((r) => exportLine(r, 'jsonl')).join('');
    const parsed = JSON.parse(jsonl) as Record<string, unknown>;
    expect(parsed).toMatchObject({ id: 'a', tool: 'echo', reason: '=cmd|x' });
    expect(parsed).not.toHaveProperty('hash');
    expect(parsed).not.toHaveProperty('prev');
    const csv = exportHeader('csv') + calls.map((r) => exportLine(r, 'csv')).join('');
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe(
      'id,ts,grant,session,server,tool,exposedName,decision,status,rule,reason,policyVersion,durationMs,error,argsHash,arguments,resultPreview',
    );
    expect(row).toContain(",'=cmd|x,");
    expect(row!.startsWith('a,2026-11-24T10:00:00.000Z,g,s,fs,echo,')).toBe(true);
    expect(end).toBe('');
    expect(exportHeader('jsonl')).toBe('');
  });
});
