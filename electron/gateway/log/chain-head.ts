// The newest day file's chain, as the dashboard shows it (`GET /api/log/head`): walked once, then only the lines
// appended since — a read at a time, the event loop given a turn between reads — so a busy day costs its new lines,
// not the whole day, each time it is asked. A new day file, or a file replaced, shortened, or changed without growing
// (an edit in place), is walked afresh, and so is the day every REWALK_MS: any line changed after it was walked is
// caught then at the latest (`gatehouse log verify` walks all).
import fs from 'node:fs';
import path from 'node:path';
import { DayChain } from './chain.js';
import { listLogFiles } from './reader.js';
import { nextTurn } from './turns.js';
import type { LogVerdict } from './verify.js';

const CHUNK_BYTES = 256 * 1024;
const REWALK_MS = 5 * 60_000;

interface Walk {
  day: string;
  ino: number;
  /** The bytes walked: up to the end of the last whole line read. */
  fed: number;
  /** The file's size and mtime when last asked. */
  size: number;
  mtimeMs: number;
  lines: number;
  chain: DayChain;
  /** When the walk began (ms). */
  began: number;
  /** The chain keeps nothing per line (until something breaks). */
  light: boolean;
}

export class ChainHead {
  private walk: Walk | undefined;
  /** One walk at a time: a second request waits for the first, then reads what came since. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly logsDir: string,
    private readonly clock: () => number = Date.now,
  ) {}

  verdict(): Promise<LogVerdict> {
    const next = this.queue.then(() => this.advance());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async advance(): Promise<LogVerdict> {
    const newest = listLogFiles(this.logsDir).at(-1);
    if (newest === undefined) return { days: 0, records: 0, warnings: [] };
    const day = newest.slice(0, 10);
    const fd = fs.openSync(path.join(this.logsDir, newest), 'r');
    try {
      const { size, ino, mtimeMs } = fs.fstatSync(fd);
      let walk = this.walk;
      const now = this.clock();
      const changed = walk !== undefined && size === walk.size && mtimeMs !== walk.mtimeMs;
      if (
        !walk ||
        walk.day !== day ||
        walk.ino !== ino ||
        size < walk.fed ||
        changed ||
        now - walk.began >= REWALK_MS
      )
        walk = this.walk = {
          day,
          ino,
          fed: 0,
          size,
          mtimeMs,
          lines: 0,
          chain: new DayChain(day, undefined, true),
          light: true,
          began: now,
        };
      [walk.size, walk.mtimeMs] = [size, mtimeMs];
      await this.feed(fd, walk, size);
      if (!walk.chain.intact && walk.light) {
        // Something broke: the day is walked again keeping every line's hash, to say what.
        walk = this.walk = { ...walk, fed: 0, lines: 0, chain: new DayChain(day, undefined), light: false };
        await this.feed(fd, walk, size);
      }
      const result = walk.chain.end();
      return {
        days: 1,
        records: result.records,
        ...(result.head !== undefined ? { head: result.head, headDay: day } : {}),
        ...(result.problem ? { problem: result.problem } : {}),
        warnings: result.warnings,
      };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Walks the whole lines from `walk.fed` to `size`, a read at a time, the event loop given a turn between reads. */
  private async feed(fd: number, walk: Walk, size: number): Promise<void> {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    while (walk.fed < size) {
      const n = fs.readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, size - walk.fed), walk.fed);
      const last = chunk.lastIndexOf(0x0a, n - 1);
      // Only whole lines: a line still being written is walked once it ends.
      if (last === -1) break;
      for (let at = 0; at <= last;) {
        const end = chunk.indexOf(0x0a, at);
        walk.chain.push(chunk.toString('utf8', at, end), walk.lines++);
        at = end + 1;
      }
      walk.fed += last + 1;
      await nextTurn();
    }
  }
}
