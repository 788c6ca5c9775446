// Which lines of a window of a day file may hold a matching call (day-scan.ts parses only those): the decision lines
// where every field filter's bytes occur and, when the filter has a pattern (a text search, a status), where its
// most selective one occurs in the line or in one of the call's outcome lines. The other patterns are checked on the
// joined record. Bytes are searched as latin1 text (one character a byte) with the patterns of call-filter.ts.
import type { LineWindow } from './backward.js';
import type { FilterPlan, LinePattern } from './call-filter.js';
import { parseLine } from './reader.js';

/** What only a decision line holds. */
export const DECISION_MARK = Buffer.from('"exposedName":"');

/** A window's lines: where each starts and ends, found once. */
class Lines {
  /** The offset of each newline of the window, ascending. */
  private readonly newlines: Int32Array;
  private text?: string;

  /** `start`: where the window starts in its file. */
  constructor(
    readonly bytes: Buffer,
    readonly start: number,
  ) {
    const found: number[] = [];
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) found.push(at);
    this.newlines = Int32Array.from(found);
  }

  /** The window read as latin1. */
  latin1(): string {
    this.text ??= this.bytes.toString('latin1');
    return this.text;
  }

  /** The index of the line holding byte `at`: of the first newline at or after it (its count when none). */
  indexOf(at: number): number {
    let low = 0;
    let high = this.newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.newlines[middle] as number) < at) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  lineStart(index: number): number {
    return index === 0 ? 0 : (this.newlines[index - 1] as number) + 1;
  }

  /** The offset of the line's newline; undefined for a torn last line (no newline yet). */
  end(index: number): number | undefined {
    return this.newlines[index];
  }

  get count(): number {
    return this.newlines.length;
  }

  line(index: number): Buffer {
    return this.bytes.subarray(this.lineStart(index), this.end(index) ?? this.bytes.length);
  }
}

/**
 * Calls whose outcome line matched the filter's pattern: their decision line, further back, is a candidate. What a
 * window added and found is kept with its place, so that a page ending in it can say which calls are still wanted
 * before its end (`carriedAt`).
 */
export class WantedCalls {
  readonly ids: Set<string>;
  private hits: [number, string][] = [];
  private found: [number, string][] = [];

  constructor(carried: Iterable<string> = []) {
    this.ids = new Set(carried);
  }

  startWindow(): { carriedAt: (offset: number) => string[] } {
    const [before, hits, found] = [new Set(this.ids), [] as [number, string][], [] as [number, string][]];
    [this.hits, this.found] = [hits, found];
    return {
      // Wanted before this window, or matched in it at or after `offset` — unless their decision is there too.
      carriedAt: (offset) => {
        const ids = new Set([...before, ...hits.filter(([at]) => at >= offset).map(([, id]) => id)]);
        for (const [at, id] of found) if (at >= offset) ids.delete(id);
        return [...ids];
      },
    };
  }

  add(at: number, id: string): void {
    this.ids.add(id);
    this.hits.push([at, id]);
  }

  take(at: number, id: string): void {
    this.ids.delete(id);
    this.found.push([at, id]);
  }
}

/** The [start, end) of each line of the window that may hold a matching call, newest first. */
export function candidateLines(
  window: LineWindow,
  plan: FilterPlan,
  wanted: WantedCalls,
): [number, number][] {
  const lines = new Lines(window.bytes, window.start);
  const pattern = plan.patterns[0];
  let found: Set<number> | undefined = pattern ? patternLines(lines, pattern, wanted) : undefined;
  for (const group of plan.needles) {
    // Each set narrows the candidates; an empty one ends the search of this window.
    if (found?.size === 0) break;
    const holding = new Set(group.flatMap((needle) => [...linesMatching(lines, needle)]));
    found = found ? new Set([...found].filter((index) => holding.has(index))) : holding;
  }
  const indexes = found
    ? [...found].sort((a, b) => b - a)
    : Array.from({ length: lines.count }, (_, i) => lines.count - 1 - i);
  // A torn last line (a killed gateway, or a line being written) has no newline: it is no call yet.
  return indexes.map((index) => [lines.lineStart(index), lines.end(index) as number]);
}

/** The indexes of the lines where `regex` (global) matches; one hit a line is enough. */
function linesMatching(lines: Lines, regex: RegExp): Set<number> {
  const found = new Set<number>();
  const text = lines.latin1();
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    const index = lines.indexOf(m.index);
    const end = lines.end(index);
    if (end === undefined) break;
    found.add(index);
    regex.lastIndex = end + 1;
  }
  return found;
}

/** The indexes of the whole lines holding `needle`. */
function linesHolding(lines: Lines, needle: Buffer): number[] {
  const found: number[] = [];
  for (
    let at = lines.bytes.indexOf(needle);
    at !== -1;
    at = lines.bytes.indexOf(needle, at + needle.length)
  ) {
    const index = lines.indexOf(at);
    if (lines.end(index) !== undefined) found.push(index);
  }
  return found;
}

/**
 * The decision lines where the pattern occurs, and those of the calls in `wanted` (found: they leave it); an outcome
 * line where it occurs adds its call to `wanted` (its decision line is further back, in this window or an older one).
 */
function patternLines(lines: Lines, pattern: LinePattern, wanted: WantedCalls): Set<number> {
  const hits = linesMatching(lines, pattern.regex);
  for (const also of pattern.also) for (const index of linesHolding(lines, also)) hits.add(index);
  const found = new Set<number>();
  for (const index of hits) {
    const line = lines.line(index);
    if (line.includes(DECISION_MARK)) found.add(index);
    else {
      const id = lineId(line);
      if (id !== undefined) wanted.add(lines.start + lines.lineStart(index), id);
    }
  }
  if (wanted.ids.size > 0) for (const index of decisionLinesOf(lines, wanted)) found.add(index);
  return found;
}

/** The decision lines in the window of the calls in `wanted`, which leave it. */
function decisionLinesOf(lines: Lines, wanted: WantedCalls): number[] {
  const found: number[] = [];
  const take = (index: number) => {
    const line = lines.line(index);
    const id = lineId(line);
    if (id === undefined || !wanted.ids.has(id) || !line.includes(DECISION_MARK)) return;
    wanted.take(lines.start + lines.lineStart(index), id);
    found.push(index);
  };
  if (wanted.ids.size <= 8) {
    // A few calls: each one's id searched for, at the start of a line.
    for (const id of [...wanted.ids])
      for (const index of linesHolding(lines, Buffer.from(`{"id":${JSON.stringify(id)},`))) take(index);
  } else for (let index = 0; index < lines.count; index++) take(index);
  return found;
}

const LINE_ID = /^\{"id":("(?:[^"\\]|\\.)*"),/;

/** The id a line starts with, as the gateway writes it (`{"id":"…",`). */
function lineId(line: Buffer): string | undefined {
  const id = LINE_ID.exec(line.toString('utf8', 0, Math.min(line.length, 512)))?.[1];
  return id === undefined ? undefined : (parseLine(id) as string);
}
