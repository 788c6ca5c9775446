// Pages through the call log newest first, across day files, with the filters of `GET /api/calls`.
// Order: by day file, then by the place of the call's decision line in it, both descending — the order the gateway
// wrote them, so newest first. A page reads its day files from the end backward and stops when it is full
// (day-scan.ts); the cursor names the day file and the byte offset of the page's last decision line, which never
// moves (a day file only grows). Nothing is cached: a page costs what it reads.
import path from 'node:path';
import { CALL_CURSOR, CallQuery, type CallPage, type CallQueryInput } from '../../../shared/call-query.js';
import type { CallRecord } from '../../../shared/call-record.js';
import type { BackwardLimits } from './backward.js';
import { planFilter } from './call-filter.js';
import type { DayIndexes } from './day-index.js';
import { scanDayBackward } from './day-scan.js';
import { turnsEvery } from './turns.js';
import { DAY_FILE, listLogFiles } from './reader.js';

export interface QueryOptions {
  /** Called with each day file a query opens (tests check that a page reads no more than it needs). */
  onOpen?: (file: string) => void;
  /** How much is read at a time (tests make it small). */
  limits?: BackwardLimits;
  /** The longest the search holds the event loop at a time, in ms. */
  sliceMs?: number;
  /** The days' search indexes: a day whose index rules out the filter is not read. */
  indexes?: DayIndexes;
}

type Bound =
  | { kind: 'cursor'; day: string; offset: number; carried: string[] }
  | { kind: 'time'; day: string; ts: string };

/**
 * A page of calls. A long search (one that matches little in a month of history) reads for a while: it gives the
 * event loop a turn every few milliseconds, so the calls the gateway forwards meanwhile wait no longer than that.
 * Rejects with a ZodError when the query is invalid (the control API answers 400 with it).
 */
export async function queryCalls(
  logsDir: string,
  input: CallQueryInput,
  options: QueryOptions = {},
): Promise<CallPage> {
  const steps = pageSteps(logsDir, CallQuery.parse(input), options);
  const turn = turnsEvery(options.sliceMs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await turn();
  }
}

/** The page, a window of a day file at a time: it yields after each window. */
function* pageSteps(logsDir: string, query: CallQuery, options: QueryOptions): Generator<void, CallPage> {
  const bound = parseBefore(query.before);
  const plan = planFilter(query);
  const files = listLogFiles(logsDir).reverse();
  const calls: CallRecord[] = [];
  let cursor: (() => string) | undefined;
  for (let i = 0; i < files.length; i++) {
    const name = files[i] as string;
    const day = (DAY_FILE.exec(name) as RegExpExecArray)[1] as string;
    if (bound && day > bound.day) continue;
    const file = path.join(logsDir, name);
    if (options.indexes && !options.indexes.mayHold(day, file, plan.literals)) continue;
    options.onOpen?.(file);
    const scan = scanDayBackward({
      file,
      plan,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(bound?.kind === 'cursor' && bound.day === day
        ? { beforeOffset: bound.offset, carried: bound.carried }
        : {}),
      ...(bound?.kind === 'time' ? { beforeTs: bound.ts } : {}),
    });
    for (const item of scan) {
      if (item.kind === 'call') {
        // One more match than the page holds: older calls exist.
        if (calls.length === query.limit) {
          scan.return(undefined);
          return { calls, nextBefore: (cursor as () => string)() };
        }
        calls.push(item.record);
        cursor = cursorOf(item.record.ts, day, item.offset, item.carried);
      } else if (calls.length === query.limit) {
        // A full page, and no more match in what has been read: older calls may exist (unless this was the start
        // of the oldest file), but looking for one is not this page's work.
        const atStart = item.start === 0 && i === files.length - 1;
        scan.return(undefined);
        return atStart ? { calls } : { calls, nextBefore: (cursor as () => string)() };
      } else yield;
    }
  }
  return { calls };
}

function cursorOf(ts: string, day: string, offset: number, carried: () => string[]): () => string {
  return () => {
    const ids = carried();
    return `${ts}|${day}|${offset}${ids.length > 0 ? `|${ids.map(encodeURIComponent).join(',')}` : ''}`;
  };
}

function parseBefore(before: string | undefined): Bound | undefined {
  if (before === undefined || before === '') return undefined;
  const cursor = CALL_CURSOR.exec(before);
  if (cursor)
    return {
      kind: 'cursor',
      day: cursor[2] as string,
      offset: Number(cursor[3]),
      carried: cursor[4] ? cursor[4].split(',').flatMap(decodeId) : [],
    };
  const ms = utcMs(before);
  // The last day whose file can hold a call strictly before the bound (none of the bound's day at midnight).
  return { kind: 'time', ts: new Date(ms).toISOString(), day: new Date(ms - 1).toISOString().slice(0, 10) };
}

/** A checked ISO timestamp in ms; one without an offset is UTC (Date would read a date-time without one as local). */
export function utcMs(text: string): number {
  const zoned = /T/i.test(text) && !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text}Z` : text;
  return new Date(zoned).getTime();
}

/** A carried id, or none when it does not decode (a cursor not made here: at worst a call is left out of a page). */
function decodeId(encoded: string): string[] {
  try {
    return [decodeURIComponent(encoded)];
  } catch {
    return [];
  }
}
