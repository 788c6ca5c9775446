// Reads a file from its end towards its start, a window of whole lines at a time: the newest calls of a day file, or
// its chain's head, are found without reading the day, however large it is. Memory: one window (a chunk plus the
// line that spans its start), never the file.
import fs from 'node:fs';

/** A run of whole lines of a file, read backward. */
export interface LineWindow {
  /**
   * Whole lines, each ended by '\n' — except in the first window (the file's end), whose last bytes may lack one: a
   * line torn by a killed gateway, or one still being written.
   */
  bytes: Buffer;
  /** Where `bytes` starts in the file. */
  start: number;
}

export interface BackwardLimits {
  /**
   * The most bytes read at a time. The first read asks for `firstChunkBytes` (default the same), and each next one
   * for twice the last, up to this: a page of the newest calls reads little, a search through a day reads in large
   * windows (a search costs less per byte in a large one).
   */
  chunkBytes: number;
  firstChunkBytes?: number;
  /** A longer line is skipped (the writer bounds every record far below this). */
  maxLineBytes: number;
}

const LIMITS: BackwardLimits = {
  // Just under 1 MiB: a search reads a window as one latin1 string, and V8 keeps a string of a MiB or more outside its
  // heap, where memory freed is not given back — a month's search grew the gateway by 100 MB with 4 MiB windows.
  chunkBytes: 1_000_000,
  firstChunkBytes: 64 * 1024,
  maxLineBytes: 4 * 1024 * 1024,
};

/**
 * Read buffers kept between scans: a search through a month reads hundreds of windows, and a buffer allocated for each
 * grows the process's memory for good (the allocator keeps what was freed). A scan takes one and gives it back.
 */
const pool: Buffer[] = [];
const POOL_KEEP = 4;
/** Room after a read for the line that spans its end. */
const CARRY_ROOM = 256 * 1024;

function takeBuffer(bytes: number): Buffer {
  const at = pool.findIndex((b) => b.length >= bytes);
  return at === -1 ? Buffer.allocUnsafe(bytes) : (pool.splice(at, 1)[0] as Buffer);
}

function giveBuffer(buffer: Buffer): void {
  if (pool.length < POOL_KEEP) pool.push(buffer);
}

/**
 * The windows of the first `size` bytes of `fd`, newest first. Together they hold every line once, except lines
 * longer than `maxLineBytes`, which are left out. Throws when the file turns out shorter than `size`. A window's bytes
 * are valid until the next window is asked for (its buffer is read into again).
 */
export function* windowsBackward(
  fd: number,
  size: number,
  limits: BackwardLimits = LIMITS,
): Generator<LineWindow> {
  // The end of the line that spans the next read's end (bytes up to and with its newline), newest bytes last.
  let carry: Buffer = Buffer.alloc(0);
  // Inside a line over the cap: its bytes are dropped until its start is found.
  let dropping = false;
  let chunkBytes = limits.firstChunkBytes ?? limits.chunkBytes;
  const buffer = takeBuffer(limits.chunkBytes + CARRY_ROOM);
  try {
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - chunkBytes);
      chunkBytes = Math.min(limits.chunkBytes, chunkBytes * 2);
      // The read, and after it the line that spans its end: one buffer, no copy of the read.
      const length = end - start + carry.length;
      let window = length <= buffer.length ? buffer.subarray(0, length) : Buffer.allocUnsafe(length);
      const n = fs.readSync(fd, window, 0, end - start, start);
      if (n !== end - start)
        throw new Error(`the file shrank while it was read (${n} of ${end - start} bytes)`);
      end = start;
      if (dropping) {
        const nl = window.lastIndexOf(0x0a, n - 1);
        if (nl === -1) continue;
        dropping = false;
        window = window.subarray(0, nl + 1);
      } else carry.copy(window, n);
      if (start === 0) {
        yield { bytes: window, start: 0 };
        return;
      }
      const first = window.indexOf(0x0a);
      if (first === -1 || first === window.length - 1) {
        // No line starts in this read: all of it belongs to the line that spans it (copied: the buffer is read into again).
        carry = Buffer.from(window);
        if (carry.length > limits.maxLineBytes) {
          carry = Buffer.alloc(0);
          dropping = true;
        }
        continue;
      }
      carry = Buffer.from(window.subarray(0, first + 1));
      yield { bytes: window.subarray(first + 1), start: start + first + 1 };
    }
  } finally {
    giveBuffer(buffer);
  }
}

/**
 * Calls `onLine` with each line of the first `size` bytes of `fd`, last line first, until it returns true. `complete`
 * is false only for the bytes after the last newline (a torn line, or one still being written); an empty one is not
 * given. Lines longer than `maxLineBytes` are skipped.
 */
export function readLinesBackward(
  fd: number,
  size: number,
  onLine: (line: string, complete: boolean) => boolean,
  limits: BackwardLimits = LIMITS,
): void {
  let first = true;
  for (const { bytes } of windowsBackward(fd, size, limits)) {
    let stop = bytes.length;
    if (first) {
      first = false;
      const last = bytes.lastIndexOf(0x0a);
      if (last !== bytes.length - 1) {
        if (onLine(bytes.toString('utf8', last + 1), false)) return;
        stop = last + 1;
      }
    }
    // `stop` is just past a newline: the lines are the runs between newlines, newest first.
    for (let end = stop - 1; end >= 0;) {
      const nl = end === 0 ? -1 : bytes.lastIndexOf(0x0a, end - 1);
      if (end - nl - 1 <= limits.maxLineBytes && onLine(bytes.toString('utf8', nl + 1, end), true)) return;
      end = nl;
    }
  }
}
