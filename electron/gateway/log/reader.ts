// Reads the call log back: day files, each decision line merged with its outcome line.
// A file is read in fixed-size chunks, one line at a time, never whole into one string: a day file of any size needs
// no more memory than its longest line. A line longer than a cap, or a torn last line (a gateway killed mid-write), is
// skipped and counted, never an error. Paged reading is in query.ts.
import fs from 'node:fs';
import path from 'node:path';
import { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { openFileIfExists, readDirIfExists } from '../home/files.js';

export const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The day files' names (`YYYY-MM-DD.jsonl`), oldest first; [] when the folder does not exist. */
export function listLogFiles(logsDir: string): string[] {
  return readDirIfExists(logsDir)
    .filter((n) => DAY_FILE.test(n))
    .sort();
}

export interface LineLimits {
  /** Bytes read at a time. */
  chunkBytes: number;
  /** A longer line is skipped (the writer bounds every record far below this). */
  maxLineBytes: number;
}

const LINE_LIMITS: LineLimits = { chunkBytes: 64 * 1024, maxLineBytes: 4 * 1024 * 1024 };

/** What reading a file's lines found besides its lines. */
export interface LinesRead {
  /** Lines longer than the cap, skipped unread. */
  longLines: number;
  /** How many reads it took, and the most bytes one read asked for (never more than `chunkBytes`). */
  reads: number;
  largestRead: number;
}

/**
 * Calls `onLine` with each line of a file (its index counts every line, empty ones too), reading it in chunks of
 * `chunkBytes`. The file is read up to its size when opened (today's file may grow meanwhile). Undefined when the
 * file has gone, or is no regular file (a folder or a device is never read). `from`: the byte offset to start at,
 * which must be the start of a line (the end of an earlier read); indexes then count from there.
 */
export function readLogLines(
  file: string,
  onLine: (line: string, index: number) => void,
  limits: LineLimits = LINE_LIMITS,
  from = 0,
): LinesRead | undefined {
  const fd = openFileIfExists(file);
  if (fd === undefined) return undefined;
  try {
    return readLines(fd, onLine, limits, from);
  } finally {
    fs.closeSync(fd);
  }
}

function readLines(
  fd: number,
  onLine: (line: string, index: number) => void,
  limits: LineLimits,
  from: number,
): LinesRead {
  const { size } = fs.fstatSync(fd);
  const chunk = Buffer.allocUnsafe(limits.chunkBytes);
  const found: LinesRead = { longLines: 0, reads: 0, largestRead: 0 };
  // The start of a line that spans chunks (copied: the chunk buffer is reused), or `skipping` once it is too long.
  let head: Buffer[] = [];
  let headBytes = 0;
  let skipping = false;
  let index = 0;
  const endLine = (tail: Buffer) => {
    if (skipping || headBytes + tail.length > limits.maxLineBytes) found.longLines++;
    else
      onLine(
        headBytes === 0 ? tail.toString('utf8') : Buffer.concat([...head, tail]).toString('utf8'),
        index,
      );
    head = [];
    headBytes = 0;
    skipping = false;
    index++;
  };
  for (let position = from; position < size;) {
    const asked = Math.min(limits.chunkBytes, size - position);
    const n = fs.readSync(fd, chunk, 0, asked, position);
    found.reads++;
    found.largestRead = Math.max(found.largestRead, asked);
    if (n <= 0) break;
    position += n;
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, start)) {
      endLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < n && !skipping) {
      if (headBytes + (n - start) > limits.maxLineBytes) {
        skipping = true;
        head = [];
        headBytes = 0;
      } else {
        head.push(Buffer.from(chunk.subarray(start, n)));
        headBytes += n - start;
      }
    }
  }
  // A last line without its newline: torn by a killed gateway, or still being written.
  if (headBytes > 0 || skipping) endLine(Buffer.alloc(0));
  return found;
}

/** One record of a day file and the index of its decision line (stable while the file only grows). */
interface LogEntry {
  record: CallRecord;
  line: number;
}

export interface ParsedEntries {
  /** In line order. */
  entries: LogEntry[];
  skippedLines: number;
}

/** How a day file's lines are read (query tests count the reads). */
export type ReadLines = typeof readLogLines;

/** One line's JSON, or undefined when it does not parse. */
export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/**
 * Reads one day file; outcome lines update their record. Lines that do not parse, or are too long, are counted, not
 * thrown. Undefined when the file has gone (or is no regular file).
 */
export function readLogEntries(file: string, read: ReadLines = readLogLines): ParsedEntries | undefined {
  const byId = new Map<string, LogEntry>();
  let skippedLines = 0;
  const found = read(file, (line, index) => {
    if (line.trim() === '') return;
    const value = parseLine(line);
    if (value === undefined) {
      skippedLines++;
      return;
    }
    const record = CallRecord.safeParse(value);
    if (record.success) {
      // A repeated id (never written by the gateway) replaces the earlier record where the later one stands.
      byId.delete(record.data.id);
      byId.set(record.data.id, { record: record.data, line: index });
      return;
    }
    const outcome = CallOutcome.safeParse(value);
    const target = outcome.success ? byId.get(outcome.data.id)?.record : undefined;
    if (outcome.success && target) mergeOutcome(target, outcome.data);
    else skippedLines++;
  });
  if (!found) return undefined;
  return { entries: [...byId.values()], skippedLines: skippedLines + found.longLines };
}

export function mergeOutcome(target: CallRecord, outcome: CallOutcome): void {
  target.status = outcome.status;
  if (outcome.durationMs !== undefined) target.durationMs = outcome.durationMs;
  if (outcome.error !== undefined) target.error = outcome.error;
  if (outcome.resultPreview !== undefined) target.resultPreview = outcome.resultPreview;
  if (outcome.reason !== undefined) target.reason = outcome.reason;
  if (outcome.approval !== undefined) target.approval = outcome.approval;
  if (outcome.charges !== undefined) target.charges = [...(target.charges ?? []), ...outcome.charges];
}

/**
 * Each charge a day file holds, with the time it was made: a decision line's at its ts, an outcome line's (a call
 * charged at release, after its approval) at the outcome's ts. Streamed: nothing of the file is kept. `from`: the byte
 * offset of the first line to read (the lines before it were read earlier).
 */
export function forEachCharge(
  file: string,
  onCharge: (at: number, charges: NonNullable<CallRecord['charges']>) => void,
  from = 0,
): LinesRead | undefined {
  return readLogLines(
    file,
    (line) => {
      // Most lines carry no charge: they are not parsed at all.
      if (!line.includes('"charges"')) return;
      const value = parseLine(line);
      const parsed = CallRecord.safeParse(value);
      const charged = parsed.success ? parsed.data : CallOutcome.safeParse(value).data;
      if (charged?.charges?.length) onCharge(Date.parse(charged.ts), charged.charges);
    },
    LINE_LIMITS,
    from,
  );
}

export interface ParsedLog {
  records: CallRecord[];
  skippedLines: number;
}

/** Every record, newest first (by file day, then by line order reversed). */
export function readAllRecords(logsDir: string): ParsedLog {
  const records: CallRecord[] = [];
  let skippedLines = 0;
  for (const name of listLogFiles(logsDir).reverse()) {
    const parsed = readLogEntries(path.join(logsDir, name));
    if (!parsed) continue;
    records.push(...parsed.entries.map((e) => e.record).reverse());
    skippedLines += parsed.skippedLines;
  }
  return { records, skippedLines };
}
