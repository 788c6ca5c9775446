// Parsed day files kept in memory, so paging through the log does not parse the same file again and again.
// An entry is valid only while the file's size and mtime are unchanged; the file being written today is never kept.
// A file is read line by line (reader.ts), never whole into one string.
import fs from 'node:fs';
import { readLogEntries, readLogLines, type LogEntry, type ParsedEntries, type ReadLines } from './reader.js';

/** A record with its place in the log's order: newest first by (day, ts, line). */
export interface DayEntry extends LogEntry {
  day: string;
  /** Lowercased search text, built on the first `q` search that reaches this record. */
  haystack?: string;
}

export interface DayFile {
  /** Newest first: by ts, then by line, both descending. */
  entries: DayEntry[];
  skippedLines: number;
}

interface Cached {
  size: number;
  mtimeMs: number;
  file: DayFile;
}

export interface DayFileCacheOptions {
  maxFiles?: number;
  /** Total size on disk of the files kept; a larger file is parsed for each query instead. */
  maxBytes?: number;
}

export class DayFileCache {
  private readonly entries = new Map<string, Cached>();
  private bytes = 0;
  private readonly maxFiles: number;
  private readonly maxBytes: number;

  constructor(options: DayFileCacheOptions = {}) {
    this.maxFiles = options.maxFiles ?? 16;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** The parsed file, or undefined when it has gone (pruned since the folder was listed). */
  load(file: string, day: string, cacheable: boolean, read: ReadLines = readLogLines): DayFile | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const hit = this.entries.get(file);
    if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) {
      this.entries.delete(file);
      this.entries.set(file, hit);
      return hit.file;
    }
    if (hit) this.forget(file);
    const entries = readLogEntries(file, read);
    if (!entries) return undefined;
    const parsed = dayFile(entries, day);
    if (cacheable && stat.size <= this.maxBytes)
      this.remember(file, { size: stat.size, mtimeMs: stat.mtimeMs, file: parsed });
    return parsed;
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(file: string, cached: Cached): void {
    this.entries.set(file, cached);
    this.bytes += cached.size;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxFiles && this.bytes <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  private forget(file: string): void {
    const cached = this.entries.get(file);
    if (!cached) return;
    this.entries.delete(file);
    this.bytes -= cached.size;
  }
}

function dayFile({ entries, skippedLines }: ParsedEntries, day: string): DayFile {
  const dayEntries: DayEntry[] = entries.map((e) => ({ ...e, day }));
  dayEntries.sort((a, b) => compareDesc(a.record.ts, b.record.ts) || b.line - a.line);
  return { entries: dayEntries, skippedLines };
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
