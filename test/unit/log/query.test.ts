import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { queryCalls, type QueryOptions } from '../../../electron/gateway/log/query.js';
import type { CallQueryInput } from '../../../shared/call-query.js';
import type { CallRecord } from '../../../shared/call-record.js';
import { record, removeDir, tempDir } from './fixtures.js';

// Three day files; equal timestamps sit where pages of 2, 3 and 4 break. Line order (the order written here)
// breaks ties: the later line is newer. `late` was written after `b3` with an earlier ts (a clock step back).
const WRITTEN: [string, string][] = [
  ['a1', '2026-11-22T10:00:00.000Z'],
  ['a2', '2026-11-22T12:00:00.000Z'],
  ['a3', '2026-11-22T12:00:00.000Z'],
  ['a4', '2026-11-22T12:00:00.000Z'],
  ['a5', '2026-11-22T23:59:59.999Z'],
  ['b1', '2026-11-23T00:00:00.000Z'],
  ['b2', '2026-11-23T00:00:00.000Z'],
  ['b3', '2026-11-23T00:00:00.000Z'],
  ['late', '2026-11-23T00:00:00.000Z'],
  ['b4', '2026-11-23T08:00:00.000Z'],
  ['c1', '2026-11-24T09:00:00.000Z'],
  ['c2', '2026-11-24T10:00:00.000Z'],
  ['c3', '2026-11-24T10:00:00.000Z'],
  ['c4', '2026-11-24T10:00:00.000Z'],
  ['c5', '2026-11-24T10:00:00.000Z'],
  ['c6', '2026-11-24T11:00:00.000Z'],
];
const NEWEST_FIRST = [
  'c6',
  'c5',
  'c4',
  'c3',
  'c2',
  'c1',
  'b4',
  'late',
  'b3',
  'b2',
  'b1',
  'a5',
  'a4',
  'a3',
  'a2',
  'a1',
];

function extraFor(id: string): Partial<CallRecord> {
  switch (id) {
    case 'a2':
      return { grant: 'cursor', tool: 'delete_file', exposedName: 'fs__delete_file', server: 'fs' };
    case 'b2':
      return {
        server: 'fs',
        tool: 'read_file',
        exposedName: 'fs__read_file',
        arguments: { path: '/tmp/Report.PDF' },
      };
    case 'b3':
      return { decision: 'deny', status: 'denied', rule: 'tools.delete_*', reason: 'Destructive, ask first' };
    case 'c2':
      return {
        grant: 'cursor',
        decision: 'deny',
        status: 'rate_limited',
        reason: 'rate limit "sums" reached',
      };
    case 'c4':
      return { grant: 'cursor', server: 'fs', tool: 'read_file', exposedName: 'fs__read_file' };
    default:
      return {};
  }
}

let dir: string;

beforeEach(() => {
  dir = tempDir();
  const log = new CallLog(dir);
  for (const [id, ts] of WRITTEN) {
    log.append(record(id, ts, extraFor(id)));
    if (id === 'a1') log.append({ id, ts: '2026-11-22T10:00:01.000Z', status: 'ok', durationMs: 12 }, ts);
    if (id === 'c1')
      log.append(
        {
          id,
          ts: '2026-11-24T09:00:03.000Z',
          status: 'error',
          durationMs: 3000,
          error: 'ECONNRESET upstream',
        },
        ts,
      );
  }
  log.close();
  // A line torn by a killed gateway, and a line that is no call record at all.
  fs.appendFileSync(path.join(dir, '2026-11-23.jsonl'), 'not json\n');
  fs.appendFileSync(path.join(dir, '2026-11-24.jsonl'), '{"id":"torn","ts":"2026-11-24T12:0');
});

afterEach(() => removeDir(dir));

function counting(): QueryOptions & { reads: string[] } {
  const reads: string[] = [];
  return { reads, onOpen: (file) => reads.push(path.basename(file)) };
}

async function allPages(query: CallQueryInput, options: QueryOptions = {}): Promise<string[][]> {
  const pages: string[][] = [];
  let before: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await queryCalls(dir, { ...query, ...(before !== undefined ? { before } : {}) }, options);
    pages.push(page.calls.map((c) => c.id));
    if (page.nextBefore === undefined) return pages;
    before = page.nextBefore;
  }
  throw new Error('paging did not end');
}

describe('queryCalls: order and paging', () => {
  it('returns every call newest first, in the order written, across day files', async () => {
    const page = await queryCalls(dir, { limit: 1000 });
    expect(page.calls.map((c) => c.id)).toEqual(NEWEST_FIRST);
    expect(page.nextBefore).toBeUndefined();
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 16])(
    'pages of %i have no duplicates, no gaps and the exact order, also on equal timestamps and day borders',
    async (limit) => {
      const pages = await allPages({ limit });
      expect(pages.flat()).toEqual(NEWEST_FIRST);
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
      // A page that ends exactly at the oldest call says there is nothing more.
      expect(pages.at(-1)!.length).toBeGreaterThan(0);
    },
  );

  it('accepts limit as a URL string and the page defaults to 100', async () => {
    expect((await queryCalls(dir, { limit: '3' })).calls.map((c) => c.id)).toEqual(['c6', 'c5', 'c4']);
    expect((await queryCalls(dir, {})).calls).toHaveLength(16);
  });

  it('merges outcome lines into their record and skips torn and foreign lines', async () => {
    const { calls } = await queryCalls(dir, { limit: 100 });
    expect(calls.find((c) => c.id === 'a1')).toMatchObject({ status: 'ok', durationMs: 12 });
    expect(calls.find((c) => c.id === 'c1')).toMatchObject({
      status: 'error',
      durationMs: 3000,
      error: 'ECONNRESET upstream',
    });
    expect(calls.some((c) => c.id === 'torn')).toBe(false);
  });

  it('treats an ISO timestamp in before as "strictly earlier than"', async () => {
    const ids = async (before: string) =>
      (await queryCalls(dir, { before, limit: 4 })).calls.map((c) => c.id);
    expect(await ids('2026-11-24T10:00:00.000Z')).toEqual(['c1', 'b4', 'late', 'b3']);
    expect(await ids('2026-11-24T10:00:00Z')).toEqual(['c1', 'b4', 'late', 'b3']);
    expect(await ids('2026-11-24T10:00:00')).toEqual(['c1', 'b4', 'late', 'b3']); // no offset: UTC
    expect(await ids('2026-11-24T12:00:00+02:00')).toEqual(['c1', 'b4', 'late', 'b3']);
    expect(await ids('2026-11-23')).toEqual(['a5', 'a4', 'a3', 'a2']);
    expect(await ids('2026-11-22T10:00:00.000Z')).toEqual([]);
  });

  it('rejects a before that is neither a cursor nor a timestamp, and other invalid values', async () => {
    await expect(queryCalls(dir, { before: 'yesterday' })).rejects.toThrow(ZodError);
    await expect(queryCalls(dir, { limit: 0 })).rejects.toThrow(/>=1/);
    await expect(queryCalls(dir, { limit: '1001' })).rejects.toThrow(ZodError);
    await expect(queryCalls(dir, { limit: 'ten' })).rejects.toThrow(/whole number/);
    await expect(queryCalls(dir, { status: 'ok,finished' })).rejects.toThrow(/status must be one of/);
  });

  it('answers an empty page for a missing logs folder', async () => {
    expect(await queryCalls(path.join(dir, 'nope'), {})).toEqual({ calls: [] });
  });
});

describe('queryCalls: filters', () => {
  const ids = async (query: CallQueryInput) =>
    (await queryCalls(dir, { limit: 1000, ...query })).calls.map((c) => c.id);

  it('filters by tool (original or exposed name), server, grant and status', async () => {
    expect(await ids({ tool: 'read_file' })).toEqual(['c4', 'b2']);
    expect(await ids({ tool: 'fs__read_file' })).toEqual(['c4', 'b2']);
    expect(await ids({ tool: 'read' })).toEqual([]); // exact, not a substring
    expect(await ids({ server: 'fs' })).toEqual(['c4', 'b2', 'a2']);
    expect(await ids({ grant: 'cursor' })).toEqual(['c4', 'c2', 'a2']);
    expect(await ids({ status: 'denied' })).toEqual(['b3']);
    expect(await ids({ status: 'denied, rate_limited,error' })).toEqual(['c2', 'c1', 'b3']);
    expect(await ids({ status: 'ok' })).toEqual(['a1']);
  });

  it('combines filters (all must hold) and ignores empty ones', async () => {
    expect(await ids({ grant: 'cursor', server: 'fs' })).toEqual(['c4', 'a2']);
    expect(await ids({ grant: 'cursor', status: 'rate_limited,pending' })).toEqual(['c4', 'c2', 'a2']);
    expect(await ids({ grant: 'cursor', server: 'fs', tool: 'delete_file', status: 'pending' })).toEqual([
      'a2',
    ]);
    expect(await ids({ server: 'fs', q: 'report' })).toEqual(['b2']);
    expect(await ids({ tool: '', server: '', grant: '', status: '', q: '  ', before: '' })).toEqual(
      NEWEST_FIRST,
    );
  });

  it('searches q case-insensitively in names, grant, reason, rule, error and the arguments', async () => {
    expect(await ids({ q: 'report.pdf' })).toEqual(['b2']); // arguments
    expect(await ids({ q: 'DESTRUCTIVE' })).toEqual(['b3']); // reason
    expect(await ids({ q: 'tools.delete_' })).toEqual(['b3']); // rule
    expect(await ids({ q: 'econnreset' })).toEqual(['c1']); // error from the outcome line
    expect(await ids({ q: 'fs__delete' })).toEqual(['a2']); // exposed name
    expect(await ids({ q: 'CURSOR' })).toEqual(['c4', 'c2', 'a2']); // grant
    expect(await ids({ q: 'sums' })).toEqual(['c2']);
    expect(await ids({ q: 'no such text' })).toEqual([]);
  });

  it('pages through a filtered view without duplicates or gaps', async () => {
    expect(await allPages({ limit: 1, grant: 'cursor' })).toEqual([['c4'], ['c2'], ['a2']]);
    expect((await allPages({ limit: 2, status: 'pending', server: 'ev' })).flat()).toEqual(
      NEWEST_FIRST.filter((id) => !['a1', 'a2', 'b2', 'b3', 'c1', 'c2', 'c4'].includes(id)),
    );
  });
});

describe('queryCalls: reading', () => {
  it('reads only the newest day file when it holds the page, and older ones only when paging there', async () => {
    const options = counting();
    const first = await queryCalls(dir, { limit: 3 }, options);
    expect(options.reads).toEqual(['2026-11-24.jsonl']);
    expect(first.nextBefore).toBeDefined();

    // Exactly the newest file's six calls: more may exist, and the older files are still not read.
    options.reads.length = 0;
    const full = await queryCalls(dir, { limit: 6 }, options);
    expect(full.calls.map((c) => c.id)).toEqual(NEWEST_FIRST.slice(0, 6));
    expect(full.nextBefore).toBeDefined();
    expect(options.reads).toEqual(['2026-11-24.jsonl']);

    options.reads.length = 0;
    const second = await queryCalls(dir, { limit: 6, before: full.nextBefore! }, options);
    expect(second.calls.map((c) => c.id)).toEqual(NEWEST_FIRST.slice(6, 12));
    // The cursor's own file is read again (nothing of it is left here), then the two older ones.
    expect(options.reads).toEqual(['2026-11-24.jsonl', '2026-11-23.jsonl', '2026-11-22.jsonl']);
  });

  it('skips day files newer than the cursor without reading them', async () => {
    const options = counting();
    await queryCalls(dir, { limit: 2, before: '2026-11-23T00:00:00.000Z' }, options);
    expect(options.reads).toEqual(['2026-11-22.jsonl']);
  });

  it('an outcome appended to an older day file after midnight is joined to its call', async () => {
    fs.appendFileSync(
      path.join(dir, '2026-11-23.jsonl'),
      `${JSON.stringify({ id: 'b4', ts: '2026-11-24T00:00:01.000Z', status: 'ok', durationMs: 5 })}\n`,
    );
    const { calls } = await queryCalls(dir, { limit: 1000 });
    expect(calls.find((c) => c.id === 'b4')).toMatchObject({ status: 'ok', durationMs: 5 });
  });
});
