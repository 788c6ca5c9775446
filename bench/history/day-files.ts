// The generator's output side: a day file written a large buffer at a time with its chain (the gateway's own
// chainLine), and the lines due later (outcomes, approvals' answers) kept in the order the gateway would append them.
import fs from 'node:fs';
import { chainLine, GENESIS } from '../../electron/gateway/log/chain.js';
import { emptyCounts, type DayCounts } from './manifest.js';

const FLUSH_BYTES = 4 << 20;
/** More than any line the catalog makes (its longest strings are a few KB). */
const MAX_LINE_BYTES = 1 << 20;

/**
 * One day file: its lines gathered in a large buffer and written a buffer at a time, and its chain. Its first line
 * names the head of the day file before at that moment — what the gateway's writer reads when it opens a new day.
 */
export class DayFile {
  private buffer = Buffer.allocUnsafe(FLUSH_BYTES + MAX_LINE_BYTES);
  private used = 0;
  private head: string | undefined;
  private readonly fd: number;
  readonly counts: DayCounts;

  constructor(
    file: string,
    readonly day: string,
    private readonly before: DayFile | undefined,
  ) {
    this.fd = fs.openSync(file, 'w', 0o600);
    this.counts = emptyCounts(day);
  }

  /** The last hash written (GENESIS before any). */
  lastHash(): string {
    return this.head ?? this.before?.lastHash() ?? GENESIS;
  }

  append(json: string): void {
    const { line, hash } = chainLine(json, this.lastHash());
    this.head = hash;
    this.used += this.buffer.write(line, this.used);
    this.buffer[this.used++] = 0x0a;
    this.counts.lines++;
    if (this.used >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    for (let at = 0; at < this.used;) at += fs.writeSync(this.fd, this.buffer, at, this.used - at);
    this.counts.bytes += this.used;
    this.used = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
    this.buffer = Buffer.alloc(0);
  }
}

/** A line due later (an outcome, an approval's answer), in the order the gateway would append it. */
export interface Due {
  at: number;
  seq: number;
  file: DayFile;
  json: string;
}

/** A min-heap of due lines by time, then by the order they were scheduled. */
export class DueLines {
  private readonly items: Due[] = [];

  get size(): number {
    return this.items.length;
  }

  private less(a: Due, b: Due): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  push(item: Due): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i] as Due, items[parent] as Due)) break;
      [items[i], items[parent]] = [items[parent] as Due, items[i] as Due];
      i = parent;
    }
  }

  peek(): Due | undefined {
    return this.items[0];
  }

  pop(): Due | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l] as Due, items[m] as Due)) m = l;
        if (r < items.length && this.less(items[r] as Due, items[m] as Due)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m] as Due, items[i] as Due];
        i = m;
      }
    }
    return top;
  }
}
