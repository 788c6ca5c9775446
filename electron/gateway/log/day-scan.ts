// One day file read backward, its matching calls newest first (by the place of their decision line), each joined to
// its outcome lines. Only candidate lines are parsed: those holding a filter's bytes (call-filter.ts), or every
// decision line when nothing narrows the search. A window of the file is in memory at a time, never the file.
import fs from 'node:fs';
import { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { windowsBackward, type BackwardLimits, type LineWindow } from './backward.js';
import type { FilterPlan } from './call-filter.js';
import { outcomesAfter } from './outcome-search.js';
import { mergeOutcome } from './reader.js';

export interface DayScan {
  file: string;
  plan: FilterPlan;
  /** Only calls whose decision line starts before this offset (a cursor's place); all when absent. */
  beforeOffset?: number;
  /** Only calls with a ts strictly before this one. */
  beforeTs?: string;
  /** How much is read at a time (tests make it small, so lines cross the windows' borders). */
  limits?: BackwardLimits;
}

export type ScanItem =
  | { kind: 'call'; record: CallRecord; offset: number }
  /** A window of the file has been read: a caller may stop here. */
  | { kind: 'window'; start: number };

const DECISION_MARK = Buffer.from('"exposedName":"');

/** The day's matching calls, newest first; nothing when the file has gone (or is no regular file). */
export function* scanDayBackward(scan: DayScan): Generator<ScanItem> {
  let fd: number;
  try {
    if (!fs.statSync(scan.file).isFile()) return;
    fd = fs.openSync(scan.file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const fileSize = fs.fstatSync(fd).size;
    const region = Math.min(scan.beforeOffset ?? fileSize, fileSize);
    // Calls whose outcome line matched the text search: their decision line, further back, is a candidate.
    const wanted = new Set<string>();
    for (const window of windowsBackward(fd, region, scan.limits)) {
      for (const [start, end] of candidateLines(window, scan.plan, wanted)) {
        const call = readCall(window, start, end, scan, wanted);
        if (!call) continue;
        if (call.status === 'pending') {
          const from = window.start + end + 1;
          const outcomes = outcomesAfter(fd, fileSize, window, from, call.id, scan.limits?.chunkBytes);
          for (const outcome of outcomes) mergeOutcome(call, outcome);
        }
        if (scan.plan.matches(call)) yield { kind: 'call', record: call, offset: window.start + start };
      }
      yield { kind: 'window', start: window.start };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The decision line at [start, end) of the window as a record, or undefined when it is none or is excluded. */
function readCall(
  window: LineWindow,
  start: number,
  end: number,
  scan: DayScan,
  wanted: Set<string>,
): CallRecord | undefined {
  const line = window.bytes.subarray(start, end);
  for (const group of scan.plan.needles) if (!group.some((needle) => line.includes(needle))) return undefined;
  if (!line.includes(DECISION_MARK)) return undefined;
  const record = CallRecord.safeParse(parseJson(line.toString('utf8'))).data;
  if (!record) return undefined;
  wanted.delete(record.id);
  if (scan.beforeTs !== undefined && record.ts >= scan.beforeTs) return undefined;
  return record;
}

/** The [start, end) of each line of the window that may hold a matching call, newest first. */
function candidateLines(window: LineWindow, plan: FilterPlan, wanted: Set<string>): [number, number][] {
  const { bytes } = window;
  const starts = new Set<number>();
  const lineAt = (at: number) => bytes.lastIndexOf(0x0a, at) + 1;
  if (plan.needles.length > 0) {
    // Every candidate holds a string of the first group.
    for (const needle of plan.needles[0] as Buffer[])
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length))
        starts.add(lineAt(at));
  } else if (plan.search) {
    const text = bytes.toString('latin1');
    plan.search.lastIndex = 0;
    for (let m = plan.search.exec(text); m; m = plan.search.exec(text)) {
      const start = lineAt(m.index);
      starts.add(start);
      // Go on from the next line: one hit is enough.
      const end = text.indexOf('\n', m.index);
      if (end === -1) break;
      plan.search.lastIndex = end + 1;
    }
    for (const start of [...starts]) {
      const end = bytes.indexOf(0x0a, start);
      if (end !== -1 && !bytes.subarray(start, end).includes(DECISION_MARK)) {
        starts.delete(start);
        const id = outcomeId(bytes.subarray(start, end));
        if (id !== undefined) wanted.add(id);
      }
    }
    for (const id of wanted) {
      const needle = Buffer.from(`{"id":${JSON.stringify(id)},`);
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1))
        if (at === 0 || bytes[at - 1] === 0x0a) starts.add(at);
    }
  } else {
    for (let at = 0; at < bytes.length; at = bytes.indexOf(0x0a, at) + 1 || bytes.length) starts.add(at);
  }
  const lines: [number, number][] = [];
  for (const start of starts) {
    const end = bytes.indexOf(0x0a, start);
    // A torn last line (a killed gateway, or a line being written) is no call yet.
    if (end !== -1) lines.push([start, end]);
  }
  return lines.sort((a, b) => b[0] - a[0]);
}

function outcomeId(line: Buffer): string | undefined {
  return CallOutcome.safeParse(parseJson(line.toString('utf8'))).data?.id;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
