// The calls matching a filter as JSONL or CSV (`gatehouse log export`, `GET /api/calls/export`), oldest first.
// Yielded a call at a time; one day file's records are held at a time (a call's outcome line is joined to
// its decision line within its day file), never the whole log.
import path from 'node:path';
import type { CallExportQuery } from '../../../shared/call-query.js';
import type { CallRecord } from '../../../shared/call-record.js';
import { planFilter } from './call-filter.js';
import { utcMs } from './query.js';
import { listLogFiles, readLogEntries } from './reader.js';

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

/** Each call matching `query`, oldest first: by day file, then ts, then line. */
export function* exportedCalls(
  logsDir: string,
  query: Omit<CallExportQuery, 'format'>,
): Generator<CallRecord> {
  const { matches } = planFilter(query);
  const since = query.since ? new Date(utcMs(query.since)).toISOString() : undefined;
  for (const name of listLogFiles(logsDir)) {
    const day = name.slice(0, 10);
    if (since !== undefined && day < since.slice(0, 10)) continue;
    const parsed = readLogEntries(path.join(logsDir, name));
    if (!parsed) continue;
    const entries = parsed.entries
      .filter((entry) => since === undefined || entry.record.ts >= since)
      .sort((a, b) => (a.record.ts < b.record.ts ? -1 : a.record.ts > b.record.ts ? 1 : a.line - b.line));
    for (const entry of entries) if (matches(entry.record)) yield entry.record;
  }
}
