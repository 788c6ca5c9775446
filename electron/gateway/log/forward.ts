// Reads a file's lines from its start, each with its byte offset, a chunk at a time (the export's order: oldest first).
import fs from 'node:fs';

const CHUNK_BYTES = 1024 * 1024;
const MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface OffsetLine {
  text: string;
  /** Where the line starts in the file. */
  offset: number;
}

/**
 * The whole lines of the first `size` bytes of `fd` (a last line without its newline is left out: torn, or still
 * being written); a line longer than MAX_LINE_BYTES is passed over.
 */
export function* linesWithOffsets(fd: number, size: number): Generator<OffsetLine> {
  let start = 0;
  let readSize = CHUNK_BYTES;
  while (start < size) {
    const chunk = Buffer.allocUnsafe(Math.min(readSize, size - start));
    const n = fs.readSync(fd, chunk, 0, chunk.length, start);
    const last = chunk.lastIndexOf(0x0a, n - 1);
    if (last === -1) {
      if (start + n >= size) return;
      // A line longer than a read: read more at once, or pass it over past the cap.
      if (readSize < MAX_LINE_BYTES) readSize *= 2;
      else {
        const next = skipLine(fd, start + n, size);
        if (next === undefined) return;
        start = next;
      }
      continue;
    }
    readSize = CHUNK_BYTES;
    for (let at = 0; at <= last;) {
      const end = chunk.indexOf(0x0a, at);
      yield { text: chunk.toString('utf8', at, end), offset: start + at };
      at = end + 1;
    }
    start += last + 1;
  }
}

/** The offset just past the next newline at or after `from`, or undefined when there is none. */
function skipLine(fd: number, from: number, size: number): number | undefined {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  for (let at = from; at < size;) {
    const n = fs.readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, size - at), at);
    const nl = chunk.subarray(0, n).indexOf(0x0a);
    if (nl !== -1) return at + nl + 1;
    at += n;
  }
  return undefined;
}
