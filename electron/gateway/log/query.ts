// Pages through the call log newest first, across day files, with the filters of `GET /api/calls`.
// Order: by day file, then ts, then line, all descending — for the gateway's own files (a record's ts falls on its
// file's day) that is simply newest first by ts, ties broken by line order. The cursor names a place in that order.
import path from 'node:path';
import { CallQuery, type CallPage, type CallQueryInput } from '../../../shared/call-query.js';
import type { CallRecord, CallStatus } from '../../../shared/call-record.js';
import { DayFileCache, type DayEntry } from './day-file-cache.js';
import { DAY_FILE, listLogFiles, readLogLines, type ReadLines } from './reader.js';

export interface QueryOptions {
  /** Parsed files kept between queries; by default one cache shared by every query of this process. */
  cache?: DayFileCache;
  /** How a day file's lines are read, a chunk at a time (tests count the reads). */
  readLines?: ReadLines;
  /** Today's file (UTC) is still being written, so it is never cached. */
  now?: () => Date;
}

// Only a memo: an entry is used only while its file's size and mtime are unchanged, so answers never differ.
const processCache = new DayFileCache();

type Bound =
  { kind: 'cursor'; day: string; ts: string; line: number } | { kind: 'time'; day: string; ts: string };

/** Throws a ZodError when the query is invalid (the control API answers 400 with it). */
export function queryCalls(logsDir: string, input: CallQueryInput, options: QueryOptions = {}): CallPage {
  const query = CallQuery.parse(input);
  const cache = options.cache ?? processCache;
  const readLines = options.readLines ?? readLogLines;
  const today = (options.now?.() ?? new Date()).toISOString().slice(0, 10);
  const bound = parseBefore(query.before);
  const matches = compileFilter(query);

  const files = listLogFiles(logsDir).reverse();
  const calls: CallRecord[] = [];
  let last: DayEntry | undefined;
  let more = false;
  for (let i = 0; i < files.length && !more; i++) {
    const name = files[i] as string;
    const day = (DAY_FILE.exec(name) as RegExpExecArray)[1] as string;
    if (bound && day > bound.day) continue;
    const parsed = cache.load(path.join(logsDir, name), day, day < today, readLines);
    if (!parsed) continue;
    for (const entry of parsed.entries) {
      if (bound && !isBefore(entry, bound)) continue;
      if (!matches(entry)) continue;
      if (calls.length === query.limit) {
        more = true;
        break;
      }
      calls.push({ ...entry.record });
      last = entry;
    }
    // A full page at the end of a file: older files may hold more, but they are not read for this page.
    if (calls.length === query.limit && i < files.length - 1) more = true;
  }
  return more && last ? { calls, nextBefore: cursorOf(last) } : { calls };
}

function cursorOf(entry: DayEntry): string {
  return `${entry.record.ts}|${entry.day}|${entry.line}`;
}

const CURSOR = /^(.+)\|(\d{4}-\d{2}-\d{2})\|(\d+)$/;

function parseBefore(before: string | undefined): Bound | undefined {
  if (before === undefined || before === '') return undefined;
  const cursor = CURSOR.exec(before);
  if (cursor)
    return { kind: 'cursor', ts: cursor[1] as string, day: cursor[2] as string, line: Number(cursor[3]) };
  const ms = utcMs(before);
  // The last day whose file can hold a call strictly before the bound (none of the bound's day at midnight).
  return { kind: 'time', ts: new Date(ms).toISOString(), day: new Date(ms - 1).toISOString().slice(0, 10) };
}

/** A checked ISO timestamp in ms; one without an offset is UTC (Date would read a date-time without one as local). */
export function utcMs(text: string): number {
  const zoned = /T/i.test(text) && !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text}Z` : text;
  return new Date(zoned).getTime();
}

function isBefore(entry: DayEntry, bound: Bound): boolean {
  if (bound.kind === 'time') return entry.record.ts < bound.ts;
  if (entry.day !== bound.day) return entry.day < bound.day;
  if (entry.record.ts !== bound.ts) return entry.record.ts < bound.ts;
  return entry.line < bound.line;
}

/** The filters of `GET /api/calls` (and of an export). */
export type CallFilter = Pick<CallQuery, 'tool' | 'server' | 'grant' | 'status' | 'q'>;

export function compileFilter(query: CallFilter): (entry: DayEntry) => boolean {
  const tests: ((entry: DayEntry) => boolean)[] = [];
  const [tool, server, grant] = [query.tool?.trim(), query.server?.trim(), query.grant?.trim()];
  if (tool) tests.push(({ record }) => record.tool === tool || record.exposedName === tool);
  if (server) tests.push(({ record }) => record.server === server);
  if (grant) tests.push(({ record }) => record.grant === grant);
  const statuses = new Set(
    (query.status ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '') as CallStatus[],
  );
  if (statuses.size > 0) tests.push(({ record }) => statuses.has(record.status));
  const q = query.q?.trim().toLowerCase();
  if (q) tests.push((entry) => haystackOf(entry).includes(q));
  return (entry) => tests.every((t) => t(entry));
}

function haystackOf(entry: DayEntry): string {
  if (entry.haystack === undefined) {
    const r = entry.record;
    entry.haystack = [
      r.tool,
      r.server,
      r.exposedName,
      r.grant,
      r.reason,
      r.rule,
      r.error ?? '',
      JSON.stringify(r.arguments) ?? '',
    ]
      .join('\u0000')
      .toLowerCase();
  }
  return entry.haystack;
}
