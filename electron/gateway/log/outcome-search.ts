// Finds the outcome lines of a call after its decision line: the log writes a call's outcome (and, for an approved
// call, the line charging it at release) into its decision's day file, later — usually a few lines later, minutes
// later for a call that waited for a person. The bytes already in memory are searched first, then the file onwards,
// and the search stops at the outcome that ends the call. Lines start with their id (`{"id":"…",`), as the gateway
// writes them; the hit is then parsed and checked.
import fs from 'node:fs';
import { CallOutcome } from '../../../shared/call-record.js';
import type { LineWindow } from './backward.js';

const CHUNK_BYTES = 256 * 1024;
const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * The outcome lines of call `id` between `from` (the end of its decision line) and `fileSize`, in file order, up to
 * and with the first that ends the call (any status but `pending`). `window`: bytes of the file already read, holding
 * `from`, searched before the file is read on from their end.
 */
export function outcomesAfter(
  fd: number,
  fileSize: number,
  from: number,
  id: string,
  { window, chunkBytes = CHUNK_BYTES }: { window?: LineWindow; chunkBytes?: number } = {},
): CallOutcome[] {
  const needle = Buffer.from(`\n{"id":${JSON.stringify(id)},`);
  const found: CallOutcome[] = [];
  let readFrom = from;
  if (window) {
    // `from - 1` is the decision line's newline: the needle's first byte.
    if (scan(window.bytes, from - 1 - window.start, needle, id, found)) return found;
    readFrom = window.start + window.bytes.length;
  }
  for (const chunk of linesForward(fd, readFrom, fileSize, chunkBytes))
    if (scan(chunk, 0, needle, id, found)) break;
  return found;
}

/** Adds the outcome lines of `id` in `bytes` from `at`; true once one ends the call. */
function scan(bytes: Buffer, at: number, needle: Buffer, id: string, found: CallOutcome[]): boolean {
  for (let hit = bytes.indexOf(needle, at); hit !== -1; hit = bytes.indexOf(needle, hit + 1)) {
    const end = bytes.indexOf(0x0a, hit + 1);
    if (end === -1) return false; // torn, or still being written
    const outcome = parseOutcome(bytes.toString('utf8', hit + 1, end));
    if (outcome?.id !== id) continue;
    found.push(outcome);
    if (outcome.status !== 'pending') return true;
  }
  return false;
}

function parseOutcome(line: string): CallOutcome | undefined {
  try {
    return CallOutcome.safeParse(JSON.parse(line)).data;
  } catch {
    return undefined;
  }
}

/**
 * The bytes of `fd` from `from` to `to` in chunks of whole lines, each starting with the newline before its first
 * line (`from` is just past a newline). A line longer than MAX_LINE_BYTES is passed over.
 */
function* linesForward(fd: number, from: number, to: number, chunkBytes: number): Generator<Buffer> {
  let size = chunkBytes;
  for (let at = from - 1; at < to - 1;) {
    const chunk = Buffer.allocUnsafe(Math.min(size, to - at));
    const n = fs.readSync(fd, chunk, 0, chunk.length, at);
    const last = chunk.lastIndexOf(0x0a, n - 1);
    if (last <= 0) {
      if (at + n >= to) return; // only a torn line is left
      if (size < MAX_LINE_BYTES) size *= 2;
      else at += n; // inside a line over the cap
      continue;
    }
    size = chunkBytes;
    yield chunk.subarray(0, last + 1);
    at += last;
  }
}
