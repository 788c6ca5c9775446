// Reads the call log back: newest first across day files, merging each decision line with its outcome line.
// A torn last line (a gateway killed mid-write) is skipped, never an error.
import fs from 'node:fs';
import path from 'node:path';
import { CallOutcome, CallRecord } from '../../../shared/call-record.js';

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

export function listLogFiles(logsDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(logsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => DAY_FILE.test(n)).sort();
}

export interface ParsedLog {
  records: CallRecord[];
  skippedLines: number;
}

/** Parses one day file; outcome lines update their record. Lines that do not parse are counted, not thrown. */
export function parseLogText(text: string): ParsedLog {
  const byId = new Map<string, CallRecord>();
  let skippedLines = 0;
  for (const line of text.split('\n')) {
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
      byId.set(record.data.id, record.data);
      continue;
    }
    const outcome = CallOutcome.safeParse(value);
    const target = outcome.success ? byId.get(outcome.data.id) : undefined;
    if (outcome.success && target) {
      target.status = outcome.data.status;
      if (outcome.data.durationMs !== undefined) target.durationMs = outcome.data.durationMs;
      if (outcome.data.error !== undefined) target.error = outcome.data.error;
    } else {
      skippedLines++;
    }
  }
  return { records: [...byId.values()], skippedLines };
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
