// The call log writer: one JSON line per decision, written synchronously before a call is forwarded.
// A synchronous write() puts the line in the OS page cache, so a killed gateway loses nothing;
// only a power loss within the OS's writeback delay can (no fsync per call — see README, "The call log").
// A line is written whole or the log is treated as broken: a short write is continued until every byte is out, and
// after a failed write the file is opened again, ending the torn line first, so the next record starts on a line of
// its own. Each line is bounded (bound.ts), so no client can make one record arbitrarily large.
// Each line is chained (chain.ts) after redaction, so its hash covers what is stored; the hash is computed in the same
// synchronous step as the write, adding no await. The chain goes on from the last whole line with a hash: kept in
// memory for the files this process wrote, read from the file's end otherwise (a torn tail is skipped).
import fs from 'node:fs';
import path from 'node:path';
import type { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { boundString, boundValue } from './bound.js';
import { redactForLog, redactString } from './redact.js';
import { chainLine, claimedHash, GENESIS } from './chain.js';
import { readLinesBackward } from './backward.js';
import { listLogFiles } from './reader.js';

/** The longest error text a line keeps (cut after redaction, so no cut leaves a token's unredacted head). */
const MAX_ERROR_CHARS = 2000;
/** The longest any other text field of a line may be (a resource URI stands where a tool name does). */
const MAX_FIELD_CHARS = 4096;

/** Where a line stands in the log's hash chain (README, "The call log"). */
export interface LineChain {
  prev?: string;
  hash?: string;
}

/** How bytes reach the file: fs.writeSync (tests give one that writes less, or fails). */
export type WriteSync = typeof fs.writeSync;

export class CallLog {
  private fd: number | undefined;
  private day = '';
  /** The last hash written to each day file this process opened. */
  private readonly heads = new Map<string, string>();

  /** `argumentValues`: settings.logArgumentValues as it is now (off: every argument value becomes its marker). */
  constructor(
    private readonly logsDir: string,
    private readonly argumentValues: () => boolean = () => true,
    private readonly writeSync: WriteSync = fs.writeSync,
  ) {
    fs.mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  }

  /**
   * Appends one line (an outcome goes to its decision's day file), redacted here — the one place every stored string
   * passes — and returns the line as written, with its place in the chain (`prev`, `hash`), for the live view and the
   * audit trail. Throws if the disk refuses, so the caller can fail closed.
   */
  append<T extends CallRecord | CallOutcome>(line: T, dayOf: string = line.ts): T {
    const day = dayOf.slice(0, 10);
    if (day !== this.day || this.fd === undefined) this.open(day);
    const written = redactLine(line, this.argumentValues());
    const prev = this.heads.get(day) as string;
    const chained = chainLine(JSON.stringify(written), prev);
    try {
      this.writeLine(this.fd as number, `${chained.line}\n`);
      this.heads.set(day, chained.hash);
    } catch (err) {
      // Part of the line may be in the file: the next append opens it again and ends that line first.
      this.close();
      throw err;
    }
    return { ...written, prev, hash: chained.hash };
  }

  private writeLine(fd: number, text: string): void {
    const done = this.writeSync(fd, text);
    const total = Buffer.byteLength(text);
    if (done === total) return;
    const bytes = Buffer.from(text);
    for (let at = done; at < total;) {
      const more = this.writeSync(fd, bytes, at, total - at);
      if (more <= 0) throw new Error(`the call log took ${at} of ${total} bytes of a line and no more`);
      at += more;
    }
  }

  private open(day: string): void {
    this.close();
    const fd = fs.openSync(path.join(this.logsDir, `${day}.jsonl`), 'a+', 0o600);
    try {
      if (!this.heads.has(day)) this.heads.set(day, this.headOf(fd) ?? this.headBefore(day));
      this.endTornLine(fd);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    this.fd = fd;
    this.day = day;
  }

  close(): void {
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      fs.closeSync(fd);
    }
  }

  /** The hash of the file's last whole chained line; undefined when its last record has none (or it is empty). */
  private headOf(fd: number): string | undefined {
    let head: string | undefined;
    readLinesBackward(fd, fs.fstatSync(fd).size, (text, complete) => {
      head = complete ? claimedHash(text) : undefined;
      // A torn line is passed over; a whole line without a hash was written before the chain began.
      return head !== undefined || (complete && text.startsWith('{') && text.endsWith('}'));
    });
    return head;
  }

  /** The head of the newest day file before `day` (each day's chain starts by naming it), or GENESIS. */
  private headBefore(day: string): string {
    const name = listLogFiles(this.logsDir)
      .filter((file) => file.slice(0, 10) < day)
      .at(-1);
    if (name === undefined) return GENESIS;
    const fd = fs.openSync(path.join(this.logsDir, name), 'r');
    try {
      return this.headOf(fd) ?? GENESIS;
    } finally {
      fs.closeSync(fd);
    }
  }

  // A gateway killed mid-write (or a write that failed part way) leaves a line without its newline; ending it keeps
  // the next line readable.
  private endTornLine(fd: number): void {
    const { size } = fs.fstatSync(fd);
    if (size === 0) return;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) this.writeLine(fd, '\n');
  }
}

// The text fields redacted besides the arguments: `exposedName` too, since a resource read or a prompt names its
// target (a URI that may carry a signature or a token) where a tool call names its tool.
const REDACTED_FIELDS = new Set(['reason', 'error', 'resultPreview', 'exposedName']);

function redactLine<T extends CallRecord | CallOutcome>(line: T, argumentValues: boolean): T {
  const out: Record<string, unknown> = { ...line };
  // The writer chains each line itself.
  delete out.prev;
  delete out.hash;
  if ('arguments' in line) out.arguments = redactForLog(boundValue(line.arguments), argumentValues);
  for (const key in out) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    if (REDACTED_FIELDS.has(key)) {
      out[key] = redactString(boundString(value, key === 'error' ? MAX_ERROR_CHARS : MAX_FIELD_CHARS));
    } else if (value.length > MAX_FIELD_CHARS) {
      out[key] = boundString(value, MAX_FIELD_CHARS);
    }
  }
  return out as T;
}
