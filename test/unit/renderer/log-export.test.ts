import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../../renderer/src/lib/call-filters';
import { formatTime } from '../../../renderer/src/lib/format';
import {
  chainStatus,
  exportFileName,
  shortHash,
  toExportQuery,
  truncatedNote,
} from '../../../renderer/src/lib/log-export';

const HEAD = '3f2a' + '0'.repeat(58) + '9c';

describe('the call log chain status sentence', () => {
  it('names an intact chain with its short head and the records of the day', () => {
    const now = new Date('2026-12-07T15:00:00Z');
    expect(
      chainStatus({ day: '2026-12-07', records: 1204, head: HEAD, ok: true, warnings: [] }, now),
    ).toEqual({
      ok: true,
      text: 'Log chain intact — head 3f2a…9c (1,204 records today)',
    });
    expect(
      chainStatus({ day: '2026-12-07', records: 1, head: HEAD, ok: true, warnings: [] }, now).text,
    ).toMatch(/\(1 record today\)$/);
    // No call yet today: the newest day file is an older one, and says so.
    expect(
      chainStatus({ day: '2026-12-06', records: 9, head: HEAD, ok: true, warnings: [] }, now).text,
    ).toMatch(/\(9 records on 2026-12-06\)$/);
  });

  it('shows the date before a time of another day', () => {
    const now = new Date(2026, 11, 7, 12, 0, 0);
    expect(formatTime(new Date(2026, 11, 7, 0, 0, 6).toISOString(), now)).toMatch(/^00:00:06$/);
    expect(formatTime(new Date(2026, 11, 6, 23, 59, 59).toISOString(), now)).toMatch(/\b6\b.*23:59:59$/);
  });

  it('says so when there is no record yet', () => {
    expect(chainStatus({ records: 0, ok: true, warnings: [] })).toEqual({
      ok: true,
      text: 'Log chain intact — no records today',
    });
  });

  it('names the problem of a broken chain', () => {
    const problem = '2026-12-07.jsonl line 4 (id abc): changed';
    expect(chainStatus({ records: 4, head: HEAD, ok: false, problem, warnings: [] })).toEqual({
      ok: false,
      text: `The call log's chain is broken: ${problem}`,
    });
  });

  it('shortens a hash to its first four and last two characters', () => {
    expect(shortHash(HEAD)).toBe('3f2a…9c');
    expect(shortHash('abc')).toBe('abc');
  });
});

describe('the export of the filtered calls', () => {
  it('names the file by format and UTC day', () => {
    expect(exportFileName('csv', new Date('2026-12-07T23:30:00Z'))).toBe('gatehouse-calls-2026-12-07.csv');
    expect(exportFileName('jsonl', new Date('2026-12-08T00:00:01Z'))).toBe(
      'gatehouse-calls-2026-12-08.jsonl',
    );
  });

  it('asks with the same fields as the list, without limit or paging', () => {
    expect(toExportQuery(NO_FILTERS, 'csv')).toEqual({ format: 'csv' });
    const filters = {
      ...NO_FILTERS,
      server: ' ev ',
      tool: 'ev__echo',
      grant: 'laptop',
      q: 'hi',
      status: 'denied',
    };
    const query = toExportQuery(filters, 'jsonl');
    expect(query).toMatchObject({
      format: 'jsonl',
      server: 'ev',
      tool: 'ev__echo',
      grant: 'laptop',
      q: 'hi',
    });
    expect(query).toHaveProperty('status');
    expect(query).not.toHaveProperty('limit');
    expect(query).not.toHaveProperty('before');
  });

  it('says how many calls a truncated export holds', () => {
    expect(truncatedNote(10_000)).toBe('first 10,000 calls only: use gatehouse log export for all');
  });
});
