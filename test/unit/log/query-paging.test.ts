// Paging backward through the log, checked against the forward reader on the same files: whatever the calls, their
// outcome lines (a few lines later, or much later for a call that waited for a person, or never), the day borders,
// the page size, the filters and the size of a read, every matching call comes exactly once, newest first, joined to
// its outcome.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planFilter, type CallFilter } from '../../../electron/gateway/log/call-filter.js';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { DayIndexes } from '../../../electron/gateway/log/day-index.js';
import { indexClosedDays } from '../../../electron/gateway/log/log-indexer.js';
import { queryCalls, type QueryOptions } from '../../../electron/gateway/log/query.js';
import { listLogFiles, readLogEntries } from '../../../electron/gateway/log/reader.js';
import type { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { record, removeDir, tempDir } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

interface Step {
  day: number;
  server: 'fs' | 'ev';
  tool: 'read_file' | 'Delete_File';
  denied: boolean;
  /** How many later calls its outcome comes after; undefined: no outcome (in flight, or the gateway was killed). */
  outcomeAfter: number | undefined;
  /** A call approved and charged at release: a `pending` line before the outcome. */
  released: boolean;
  error: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  day: fc.integer({ min: 0, max: 2 }),
  server: fc.constantFrom('fs' as const, 'ev' as const),
  tool: fc.constantFrom('read_file' as const, 'Delete_File' as const),
  denied: fc.boolean(),
  outcomeAfter: fc.option(fc.nat(6), { nil: undefined, freq: 4 }),
  released: fc.boolean(),
  error: fc.boolean(),
});

/** Writes the calls as the gateway does (days ascending), outcomes after their delay; returns nothing. */
function writeLog(steps: Step[], tornTail: boolean): void {
  const log = new CallLog(dir);
  const sorted = steps.map((s, i) => ({ ...s, i })).sort((a, b) => a.day - b.day || a.i - b.i);
  const due: { at: number; id: string; ts: string; lines: CallOutcome[] }[] = [];
  sorted.forEach((s, n) => {
    const ts = `2026-11-2${s.day}T10:00:${String(n % 60).padStart(2, '0')}.000Z`;
    const id = `call-${s.i}`;
    log.append(
      record(id, ts, {
        server: s.server,
        tool: s.tool,
        exposedName: `${s.server}__${s.tool}`,
        arguments: { path: `/tmp/${s.i}.txt`, note: s.error ? 'Marker "quoted"' : 'plain' },
        ...(s.denied ? { decision: 'deny', status: 'denied', reason: 'Denied by rule' } : {}),
      }),
    );
    if (!s.denied && s.outcomeAfter !== undefined) {
      const lines: CallOutcome[] = [];
      if (s.released) lines.push({ id, ts, status: 'pending', charges: [{ key: 'k', windowMs: 60_000 }] });
      lines.push({ id, ts, status: s.error ? 'error' : 'ok', ...(s.error ? { error: 'ECONNRESET' } : {}) });
      due.push({ at: n + s.outcomeAfter, id, ts, lines });
    }
    for (const d of due.filter((d) => d.at <= n)) {
      for (const line of d.lines) log.append(line, d.ts);
      due.splice(due.indexOf(d), 1);
    }
  });
  for (const d of due) for (const line of d.lines) log.append(line, d.ts);
  // An outcome whose decision line is nowhere (a log cut by hand): joined to nothing, listed by no filter.
  if (sorted.length > 0) {
    const ts = `2026-11-2${(sorted.at(-1) as Step).day}T23:00:00.000Z`;
    log.append({ id: 'orphan', ts, status: 'error', error: 'ECONNRESET without its call' }, ts);
  }
  log.close();
  const files = listLogFiles(dir);
  if (tornTail && files.length > 0)
    fs.appendFileSync(path.join(dir, files.at(-1) as string), '{"id":"torn","ts":"2');
}

/** What the forward reader makes of the same files: every matching call, newest first. */
function reference(filter: CallFilter): string[] {
  const { matches } = planFilter(filter);
  const ids: string[] = [];
  for (const name of listLogFiles(dir).reverse()) {
    const entries = readLogEntries(path.join(dir, name))?.entries ?? [];
    for (const { record: r } of [...entries].reverse()) if (matches(r)) ids.push(r.id);
  }
  return ids;
}

async function allPages(filter: CallFilter, limit: number, options: QueryOptions): Promise<CallRecord[]> {
  const seen: CallRecord[] = [];
  let before: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await queryCalls(dir, { ...filter, limit, ...(before ? { before } : {}) }, options);
    expect(page.calls.length).toBeLessThanOrEqual(limit);
    seen.push(...page.calls);
    if (page.nextBefore === undefined) return seen;
    before = page.nextBefore;
  }
  throw new Error('paging did not end');
}

const filters: fc.Arbitrary<CallFilter> = fc.record(
  {
    server: fc.constantFrom('fs', 'ev'),
    tool: fc.constantFrom('read_file', 'ev__Delete_File'),
    status: fc.constantFrom('ok', 'denied', 'pending', 'error,ok'),
    q: fc.constantFrom('delete', 'ECONNRESET', 'marker "QUOTED"', '/tmp/1', 'nothing like it'),
  },
  { requiredKeys: [] },
);

describe('paging backward through the log', () => {
  it('visits every matching call exactly once, newest first, joined to its outcome lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 40 }),
        fc.boolean(),
        filters,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 16, max: 400 }),
        async (steps, torn, filter, limit, chunkBytes) => {
          removeDir(dir);
          fs.mkdirSync(dir);
          writeLog(steps, torn);
          const options = { limits: { chunkBytes, maxLineBytes: 1 << 20 } };
          const paged = await allPages(filter, limit, options);
          expect(paged.map((c) => c.id)).toEqual(reference(filter));
          // The days' search indexes skip only days that cannot match.
          const indexes = new DayIndexes(path.join(dir, 'index'));
          await indexClosedDays(dir, indexes, '9999-12-31');
          const indexed = await allPages(filter, limit, { ...options, indexes });
          expect(indexed.map((c) => c.id)).toEqual(reference(filter));
          // Joined as the forward reader joins them: the same records, outcome fields and all.
          const whole = new Map(
            listLogFiles(dir).flatMap((n) =>
              (readLogEntries(path.join(dir, n))?.entries ?? []).map((e) => [e.record.id, e.record] as const),
            ),
          );
          for (const call of paged) expect(call).toEqual(whole.get(call.id));
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('gives the event loop a turn while it reads', async () => {
    writeLog(
      Array.from({ length: 200 }, (_, i) => ({
        day: 0,
        server: 'fs' as const,
        tool: 'read_file' as const,
        denied: false,
        outcomeAfter: i % 3,
        released: false,
        error: false,
      })),
      false,
    );
    // Another task that wants a turn of the event loop at every chance.
    let turns = 0;
    let done = false;
    const other = () => {
      turns++;
      if (!done) setImmediate(other);
    };
    setImmediate(other);
    const search = queryCalls(
      dir,
      { q: 'nothing like it' },
      { limits: { chunkBytes: 512, maxLineBytes: 1 << 20 }, sliceMs: 0 },
    );
    const turnsBefore = turns;
    expect((await search).calls).toEqual([]);
    done = true;
    expect(turnsBefore).toBe(0);
    expect(turns).toBeGreaterThan(10);
  });
});
