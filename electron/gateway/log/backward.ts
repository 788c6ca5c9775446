// Reads a file's lines from its end towards its start, a chunk at a time: the chain's head (the last hash of a day
// file) is found without reading the day, however large it is.
import fs from 'node:fs';

/**
 * Calls `onLine` with each line of the first `size` bytes of `fd`, last line first, until it returns true. `complete`
 * is false only for the bytes after the last newline (a torn line, or one still being written). Lines longer than
 * `maxLineBytes` are skipped.
 */
export function readLinesBackward(
  fd: number,
  size: number,
  onLine: (line: string, complete: boolean) => boolean,
  chunkBytes = 64 * 1024,
  maxLineBytes = 4 * 1024 * 1024,
): void {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  // The end of a line that spans chunks (copied: the chunk buffer is reused), newest bytes last.
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let complete = false;
  const emit = (head: Buffer): boolean => {
    const bytes = tailBytes + head.length;
    const text = tailBytes === 0 ? head.toString('utf8') : Buffer.concat([head, ...tail]).toString('utf8');
    tail = [];
    tailBytes = 0;
    const wasComplete = complete;
    complete = true;
    if (bytes > maxLineBytes || (!wasComplete && bytes === 0)) return false;
    return onLine(text, wasComplete);
  };
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - chunkBytes);
    const n = fs.readSync(fd, chunk, 0, end - start, start);
    if (n !== end - start)
      throw new Error(`the file shrank while it was read (${n} of ${end - start} bytes)`);
    let stop = n;
    for (
      let nl = chunk.lastIndexOf(0x0a, stop - 1);
      nl !== -1;
      nl = nl === 0 ? -1 : chunk.lastIndexOf(0x0a, nl - 1)
    ) {
      if (emit(chunk.subarray(nl + 1, stop))) return;
      stop = nl;
    }
    if (tailBytes + stop <= maxLineBytes) tail.unshift(Buffer.from(chunk.subarray(0, stop)));
    tailBytes += stop;
    end = start;
  }
  // The file's first line (from its start to its first newline), empty or not.
  if (size > 0) emit(Buffer.alloc(0));
}
