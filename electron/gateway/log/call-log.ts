// The call log writer: one JSON line per decision, written synchronously before a call is forwarded.
// A synchronous write() puts the line in the OS page cache, so a killed gateway loses nothing;
// only a power loss within the OS's writeback delay can (no fsync per call — see README, "The call log").
import fs from 'node:fs';
import path from 'node:path';
import type { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { redactForLog, redactString } from './redact.js';

export function logFileFor(logsDir: string, isoTs: string): string {
  return path.join(logsDir, `${isoTs.slice(0, 10)}.jsonl`);
}

export class CallLog {
  private fd: number | undefined;
  private day = '';

  constructor(private readonly logsDir: string) {
    fs.mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  }

  /** Appends one line (an outcome goes to its decision's day file); throws if the disk refuses, so the caller can fail closed. */
  append(line: CallRecord | CallOutcome, dayOf: string = line.ts): void {
    const day = dayOf.slice(0, 10);
    if (day !== this.day || this.fd === undefined) this.open(day);
    fs.writeSync(this.fd as number, `${JSON.stringify(redactLine(line))}\n`);
  }

  private open(day: string): void {
    this.close();
    const fd = fs.openSync(path.join(this.logsDir, `${day}.jsonl`), 'a+', 0o600);
    try {
      endTornLine(fd);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    this.fd = fd;
    this.day = day;
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

// A gateway killed mid-write leaves a line without its newline; ending it keeps the next line readable.
function endTornLine(fd: number): void {
  const { size } = fs.fstatSync(fd);
  if (size === 0) return;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  if (last[0] !== 0x0a) fs.writeSync(fd, '\n');
}

// Callers redact already (they know settings.logArgumentValues); this is the last line of defence, and a no-op
// on what is already redacted.
function redactLine(line: CallRecord | CallOutcome): CallRecord | CallOutcome {
  const out: Record<string, unknown> = { ...line };
  if ('arguments' in line) out.arguments = redactForLog(line.arguments, true);
  for (const key of ['reason', 'error', 'resultPreview'] as const) {
    const value = out[key];
    if (typeof value === 'string') out[key] = redactString(value);
  }
  return out as CallRecord | CallOutcome;
}
