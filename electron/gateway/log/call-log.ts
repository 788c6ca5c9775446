// The call log writer: one JSON line per decision, written synchronously before a call is forwarded.
// A synchronous write() puts the line in the OS page cache, so a killed gateway loses nothing;
// only a power loss within the OS's writeback delay can (no fsync per call — see README, "The call log").
import fs from 'node:fs';
import path from 'node:path';
import type { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { redactForLog, redactString } from './redact.js';

/** The longest error text a line keeps (cut after redaction, so no cut leaves a token's unredacted head). */
const MAX_ERROR_CHARS = 2000;

export class CallLog {
  private fd: number | undefined;
  private day = '';

  /** `argumentValues`: settings.logArgumentValues as it is now (off: every argument value becomes its marker). */
  constructor(
    private readonly logsDir: string,
    private readonly argumentValues: () => boolean = () => true,
  ) {
    fs.mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  }

  /**
   * Appends one line (an outcome goes to its decision's day file), redacted here — the one place every stored string
   * passes — and returns the line as written, for the live view. Throws if the disk refuses, so the caller can fail
   * closed.
   */
  append<T extends CallRecord | CallOutcome>(line: T, dayOf: string = line.ts): T {
    const day = dayOf.slice(0, 10);
    if (day !== this.day || this.fd === undefined) this.open(day);
    const written = redactLine(line, this.argumentValues());
    fs.writeSync(this.fd as number, `${JSON.stringify(written)}\n`);
    return written;
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

function redactLine<T extends CallRecord | CallOutcome>(line: T, argumentValues: boolean): T {
  const out: Record<string, unknown> = { ...line };
  if ('arguments' in line) out.arguments = redactForLog(line.arguments, argumentValues);
  for (const key of ['reason', 'error', 'resultPreview'] as const) {
    const value = out[key];
    if (typeof value === 'string') out[key] = redactString(value);
  }
  if (typeof out.error === 'string') out.error = out.error.slice(0, MAX_ERROR_CHARS);
  return out as T;
}
