// Reads the call log back: day files, each decision line merged with its outcome line.
// A torn last line (a gateway killed mid-write) is skipped, never an error. Paged reading is in query.ts.
import fs from 'node:fs';
import path from 'node:path';
import { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { readDirIfExists } from '../home/files.js';

export const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The day files' names (`YYYY-MM-DD.jsonl`), oldest first; [] when the folder does not exist. */
export function listLogFiles(logsDir: string): string[] {
  return readDirIfExists(logsDir)
    .filter((n) => DAY_FILE.test(n))
    .sort();
}

/** One record of a day file and the index of its decision line (stable while the file only grows). */
export interface LogEntry {
  record: CallRecord;
  line: number;
}

export interface ParsedEntries {
  /** In line order. */
  entries: LogEntry[];
  skippedLines: number;
}

export interface ParsedLog {
  records: CallRecord[];
  skippedLines: number;
}

/** Parses one day file; outcome lines update their record. Lines that do not parse are counted, not thrown. */
export function parseLogEntries(text: string): ParsedEntries {
  const byId = new Map<string, LogEntry>();
  let skippedLines = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skippedLines++;
      continue;
    }
    const record = CallRecord.safeParse(value);
    if (record.success) {
      // A repeated id (never written by the gateway) replaces the earlier record where the later one stands.
      byId.delete(record.data.id);
      byId.set(record.data.id, { record: record.data, line: i });
      continue;
    }
    const outcome = CallOutcome.safeParse(value);
    const target = outcome.success ? byId.get(outcome.data.id)?.record : undefined;
    if (outcome.success && target) {
      target.status = outcome.data.status;
      if (outcome.data.durationMs !== undefined) target.durationMs = outcome.data.durationMs;
      if (outcome.data.error !== undefined) target.error = outcome.data.error;
      if (outcome.data.resultPreview !== undefined) target.resultPreview = outcome.data.resultPreview;
      if (outcome.data.reason !== undefined) target.reason = outcome.data.reason;
      if (outcome.data.approval !== undefined) target.approval = outcome.data.approval;
      if (outcome.data.charges !== undefined)
        target.charges = [...(target.charges ?? []), ...outcome.data.charges];
    } else {
      skippedLines++;
    }
  }
  return { entries: [...byId.values()], skippedLines };
}

export function parseLogText(text: string): ParsedLog {
  const { entries, skippedLines } = parseLogEntries(text);
  return { records: entries.map((e) => e.record), skippedLines };
}

/** Every record, newest first (by file day, then by line order reversed). */
export function readAllRecords(logsDir: string): ParsedLog {
  const records: CallRecord[] = [];
  let skippedLines = 0;
  for (const name of listLogFiles(logsDir).reverse()) {
    const parsed = parseLogText(fs.readFileSync(path.join(logsDir, name), 'utf8'));
    records.push(...parsed.records.reverse());
    skippedLines += parsed.skippedLines;
  }
  return { records, skippedLines };
}
