// A search index beside each day file that is no longer written (state/log-index/YYYY-MM-DD.tri): the set of every
// three-byte sequence the day's bytes hold, ASCII letters folded to lower case — 2²¹ bits (256 KiB) a day, kept in
// memory — and which runs of two and three neighbouring words it holds (word-runs.ts, 2 MiB, read a byte at a time
// when asked). A search or a filter skips a day that lacks a sequence, or a run of whole words, of what it looks for,
// so a search that matches nothing in a month reads a few index files instead of gigabytes. It is a cache: rebuilt from the day file whenever missing or
// stale, never the source of truth, and a day file it cannot vouch for is simply read.
import fs from 'node:fs';
import path from 'node:path';
import { openFileIfExists, readDirIfExists, writeFileAtomic } from '../home/files.js';
import type { LiteralGroup } from './call-filter.js';
import { addWordRuns, bitOf, mayHoldRuns, newRunWalk, RUNS_BYTES, wholeWordRuns } from './word-runs.js';

/** A symbol is 7 bits, a sequence of three 21. */
const SEQUENCE_MASK = (1 << 21) - 1;
const SET_BYTES = (SEQUENCE_MASK + 1) / 8;
const OTHER = 0x7f;
const MAGIC = 'GHTRI4\n\0';
const HEADER_BYTES = 32;
/** A read of the indexer: its work between two turns of the event loop (about 4 ms here). */
const CHUNK_BYTES = 512 * 1024;
/** A day file grown past its index by at most this much (outcome lines of late calls) has the rest read at once. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;

/** Printable ASCII is its own symbol (A–Z as a–z); every other byte is one symbol. */
const SYMBOL = new Uint8Array(256).fill(OTHER);
for (let b = 0x20; b <= 0x7e; b++) SYMBOL[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;

/** UTF-8 of the characters whose lower case is ASCII (a text search cannot rule out a day that holds one). */
const FOLDS = [Buffer.from('\u212a'), Buffer.from('\u0130')];

/** An index just built: its filter of runs in memory, to be written. */
export interface BuiltIndex extends DayIndex {
  runs: Uint8Array;
}

/** What the index knows of one day file. */
export interface DayIndex {
  /** The day file's size and inode when the index was built. */
  size: number;
  ino: number;
  /** The day holds a character of FOLDS. */
  folds: boolean;
  sequences: Uint8Array;
  /** A bit of the runs' filter: from the file's bytes (read when asked), or those of an index being built. */
  runBit: (bit: number) => boolean;
}

/** Adds the sequences of `bytes` to `set`, going on from `carry` (the last two symbols before them); returns it. */
function addSequences(set: Uint8Array, bytes: Uint8Array, carry: number): number {
  let t = carry;
  for (let i = 0; i < bytes.length; i++) {
    t = ((t << 7) | (SYMBOL[bytes[i] as number] as number)) & SEQUENCE_MASK;
    set[t >>> 3] = (set[t >>> 3] as number) | (1 << (t & 7));
  }
  return t;
}

/** The steps of indexing a day file up to its size now: one read at a time; undefined when it is gone. */
export function* indexSteps(file: string): Generator<void, BuiltIndex | undefined> {
  const fd = openFileIfExists(file);
  if (fd === undefined) return undefined;
  try {
    const { size, ino } = fs.fstatSync(fd);
    const runs = new Uint8Array(RUNS_BYTES);
    const index: BuiltIndex = {
      size: 0,
      ino,
      folds: false,
      sequences: new Uint8Array(SET_BYTES),
      runs,
      runBit: (bit) => bitOf(runs, bit),
    };
    const walk = newRunWalk();
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    // The sequences that span two reads are counted: the last symbols of a read carry over.
    let carry = OTHER;
    for (let at = 0; at < size;) {
      const n = fs.readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, size - at), at);
      if (n <= 0) break;
      const bytes = chunk.subarray(0, n);
      carry = addSequences(index.sequences, bytes, carry);
      addWordRuns(runs, bytes, walk);
      // A character of FOLDS cut by the read's end is seen whole in neither read: its first bytes count as one.
      index.folds ||= FOLDS.some((f) => bytes.includes(f)) || [0xe2, 0xc4].includes(bytes[n - 1] as number);
      index.folds ||= bytes[n - 2] === 0xe2;
      const newline = bytes.lastIndexOf(0x0a);
      // The index vouches up to the end of the last whole line: a line still being written is read as a tail.
      if (newline !== -1) index.size = at + newline + 1;
      at += n;
      yield;
    }
    return index;
  } finally {
    fs.closeSync(fd);
  }
}

function writeDayIndex(indexFile: string, index: BuiltIndex): void {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeDoubleLE(index.size, 8);
  header.writeDoubleLE(index.ino, 16);
  header.writeUInt8(index.folds ? 1 : 0, 24);
  fs.mkdirSync(path.dirname(indexFile), { recursive: true, mode: 0o700 });
  writeFileAtomic(indexFile, Buffer.concat([header, index.sequences, index.runs]), 0o600);
}

/** The index's header and sequences; its filter of runs stays in the file, read a byte at a time when asked. */
function readDayIndex(indexFile: string): DayIndex | undefined {
  const fd = openFileIfExists(indexFile);
  if (fd === undefined) return undefined;
  const head = Buffer.alloc(HEADER_BYTES + SET_BYTES);
  try {
    const { size } = fs.fstatSync(fd);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (size !== HEADER_BYTES + SET_BYTES + RUNS_BYTES || n !== head.length) return undefined;
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1', 0, 8) !== MAGIC) return undefined;
  return {
    size: head.readDoubleLE(8),
    ino: head.readDoubleLE(16),
    folds: head.readUInt8(24) === 1,
    sequences: new Uint8Array(head.buffer, head.byteOffset + HEADER_BYTES, SET_BYTES),
    runBit: (bit) => fileBit(indexFile, HEADER_BYTES + SET_BYTES, bit),
  };
}

/** A bit of the file's bytes from `offset` on; false when the file cannot be read (then it vouches for nothing). */
function fileBit(file: string, offset: number, bit: number): boolean {
  const byte = Buffer.alloc(1);
  const fd = openFileIfExists(file);
  if (fd === undefined) return true;
  try {
    if (fs.readSync(fd, byte, 0, 1, offset + (bit >>> 3)) !== 1) return true;
  } finally {
    fs.closeSync(fd);
  }
  return ((byte[0] as number) & (1 << (bit & 7))) !== 0;
}

/**
 * Whether the index may hold `literal`: every three-byte sequence of it (a literal shorter than one cannot be ruled
 * out), and every run of its whole words.
 */
function holds(index: DayIndex, literal: Buffer): boolean {
  const set = index.sequences;
  if (literal.length >= 3) {
    let t = OTHER;
    for (let i = 0; i < literal.length; i++) {
      t = ((t << 7) | (SYMBOL[literal[i] as number] as number)) & SEQUENCE_MASK;
      if (i >= 2 && ((set[t >>> 3] as number) & (1 << (t & 7))) === 0) return false;
    }
  }
  return mayHoldRuns(index.runBit, wholeWordRuns(literal));
}

/** The index of each day file, read once and kept while the file is unchanged. */
export class DayIndexes {
  private readonly known = new Map<string, DayIndex>();

  constructor(private readonly indexDir: string) {}

  private indexFileOf(day: string): string {
    return path.join(this.indexDir, `${day}.tri`);
  }

  /** Whether the day file has no index that covers all of it (missing, of another file, or the file grew since). */
  stale(day: string, file: string): boolean {
    const index = readDayIndex(this.indexFileOf(day));
    try {
      const stat = fs.statSync(file);
      return !index || index.ino !== stat.ino || index.size !== stat.size;
    } catch {
      return false;
    }
  }

  /** Writes a built index; it is read back when asked (its filter of runs is not kept in memory). */
  store(day: string, index: BuiltIndex): void {
    writeDayIndex(this.indexFileOf(day), index);
    this.known.delete(day);
  }

  /** Removes the index of each day not in `days` (its day file is gone); returns those days. */
  prune(days: ReadonlySet<string>): string[] {
    const removed: string[] = [];
    for (const name of readDirIfExists(this.indexDir)) {
      const day = /^(\d{4}-\d{2}-\d{2})\.tri$/.exec(name)?.[1];
      if (day === undefined || days.has(day)) continue;
      fs.rmSync(path.join(this.indexDir, name), { force: true });
      this.known.delete(day);
      removed.push(day);
    }
    return removed;
  }

  /**
   * False only when the day file cannot hold a line that matches every group: its index (with what was appended
   * since it was built) lacks a sequence of each literal of some group. True when there is no index to vouch for it.
   */
  mayHold(day: string, file: string, groups: readonly LiteralGroup[]): boolean {
    if (groups.length === 0) return true;
    const index = this.current(day, file);
    if (!index) return true;
    return groups.every(
      (group) => (group.folds && index.folds) || group.any.some((literal) => holds(index, literal)),
    );
  }

  /** The day's index, with the sequences appended since it was built, or undefined when it cannot vouch. */
  private current(day: string, file: string): DayIndex | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    let index = this.known.get(day);
    if (!index || index.ino !== stat.ino || index.size > stat.size) {
      index = readDayIndex(this.indexFileOf(day));
      if (!index || index.ino !== stat.ino || index.size > stat.size) {
        this.known.delete(day);
        return undefined;
      }
      this.known.set(day, index);
    }
    if (index.size === stat.size) return index;
    if (stat.size - index.size > MAX_TAIL_BYTES) return undefined;
    return withTail(index, file, stat.size);
  }
}

/** The index with the sequences of the bytes appended since it was built (a few late outcome lines). */
function withTail(index: DayIndex, file: string, size: number): DayIndex | undefined {
  const tail = Buffer.allocUnsafe(size - index.size);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.readSync(fd, tail, 0, tail.length, index.size) !== tail.length) return undefined;
  } finally {
    fs.closeSync(fd);
  }
  const sequences = new Uint8Array(index.sequences);
  addSequences(sequences, tail, OTHER);
  const runs = new Uint8Array(RUNS_BYTES);
  addWordRuns(runs, tail, newRunWalk());
  return {
    ...index,
    size,
    sequences,
    runBit: (bit) => bitOf(runs, bit) || index.runBit(bit),
    folds: index.folds || FOLDS.some((f) => tail.includes(f)),
  };
}
