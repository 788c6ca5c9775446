// The calls matching a filter as JSONL or CSV (`gatehouse log export`, `GET /api/calls/export`), oldest first.
// Yielded a call at a time, a day file read a line at a time: only calls waiting for their outcome line are held.
import fs from 'node:fs';
import { openFileIfExists } from '../home/files.js';
import path from 'node:path';
import type { CallExportQuery } from '../../../shared/call-query.js';
import { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { planFilter } from './call-filter.js';
import { utcMs } from './query.js';
import type { DayIndexes } from './day-index.js';
import { linesWithOffsets } from './forward.js';
import { outcomesAfter } from './outcome-search.js';
import { listLogFiles, mergeOutcome, parseLine } from './reader.js';

type ExportFormat = CallExportQuery['format'];

/** The CSV's columns, in order: the call record's fields (the arguments as JSON), without the chain's. */
const COLUMNS = [
  'id',
  'ts',
  'grant',
  'session',
  'server',
  'tool',
  'exposedName',
  'decision',
  'status',
  'rule',
  'reason',
  'policyVersion',
  'durationMs',
  'error',
  'argsHash',
  'arguments',
  'resultPreview',
] as const satisfies readonly (keyof CallRecord)[];

/**
 * A CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. A cell that starts with
 * = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet shows it as text and never runs it as a
 * formula.
 */
export function csvCell(value: unknown): string {
  const text = value === undefined ? '' : typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The text before the first call: CSV's header row. */
export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? `${COLUMNS.join(',')}\r\n` : '';
}

/** One call as a line of the format. */
export function exportLine(record: CallRecord, format: ExportFormat): string {
  if (format === 'csv') return `${COLUMNS.map((column) => csvCell(record[column])).join(',')}\r\n`;
  const { prev: _prev, hash: _hash, ...call } = record;
  return `${JSON.stringify(call)}\n`;
}

/**
 * Each call matching `query`, oldest first: by day file, then by the place of its decision line. Streamed: a day file
 * is read a line at a time, and only the calls still waiting for their outcome line are held (a call still waiting
 * when MAX_WAITING more have come after it has its outcome looked for further on in the file instead). Between calls
 * it also yields `undefined` every TICK_LINES lines read, so a caller can give the event loop a turn.
 */
export function* exportedCalls(
  logsDir: string,
  query: Omit<CallExportQuery, 'format'>,
  indexes?: DayIndexes,
  maxWaiting = MAX_WAITING,
): Generator<CallRecord | undefined> {
  const plan = planFilter(query);
  const since = query.since ? new Date(utcMs(query.since)).toISOString() : undefined;
  for (const name of listLogFiles(logsDir)) {
    const day = name.slice(0, 10);
    const file = path.join(logsDir, name);
    if (since !== undefined && day < since.slice(0, 10)) continue;
    if (indexes && !indexes.mayHold(day, file, plan.literals)) continue;
    for (const record of dayCallsForward(file, maxWaiting))
      if (record === undefined) yield undefined;
      else if ((since === undefined || record.ts >= since) && plan.matches(record)) yield record;
  }
}

const MAX_WAITING = 10_000;
const TICK_LINES = 512;

interface Waiting {
  record: CallRecord;
  /** The end of its decision line. */
  end: number;
  done: boolean;
}

/** A day file's calls in the order of their decision lines, each joined to its outcome lines. */
function* dayCallsForward(file: string, maxWaiting: number): Generator<CallRecord | undefined> {
  const fd = openFileIfExists(file);
  if (fd === undefined) return;
  try {
    const size = fs.fstatSync(fd).size;
    const queue: Waiting[] = [];
    const open = new Map<string, Waiting>();
    let lines = 0;
    for (const { text, offset } of linesWithOffsets(fd, size)) {
      if (++lines % TICK_LINES === 0) yield undefined;
      const value = parseLine(text);
      const decision = text.includes('"exposedName":') ? CallRecord.safeParse(value).data : undefined;
      if (decision) {
        const waiting = {
          record: decision,
          end: offset + Buffer.byteLength(text) + 1,
          done: decision.status !== 'pending',
        };
        queue.push(waiting);
        if (!waiting.done) open.set(decision.id, waiting);
      } else {
        const outcome = CallOutcome.safeParse(value).data;
        const waiting = outcome ? open.get(outcome.id) : undefined;
        if (outcome && waiting) {
          mergeOutcome(waiting.record, outcome);
          waiting.done = outcome.status !== 'pending';
          if (waiting.done) open.delete(outcome.id);
        }
      }
      while (queue[0]?.done) yield (queue.shift() as Waiting).record;
      if (queue.length > maxWaiting) {
        const head = queue.shift() as Waiting;
        open.delete(head.record.id);
        for (const outcome of outcomesAfter(fd, size, head.end, head.record.id))
          mergeOutcome(head.record, outcome);
        yield head.record;
      }
    }
    for (const waiting of queue) yield waiting.record;
  } finally {
    fs.closeSync(fd);
  }
}
