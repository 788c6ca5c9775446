// One day file read backward, its matching calls newest first (by the place of their decision line), each joined to
// its outcome lines. Only candidate lines are parsed: those holding a filter's bytes (call-filter.ts), or every
// decision line when nothing narrows the search. A window of the file is in memory at a time, never the file.
import fs from 'node:fs';
import { openFileIfExists } from '../home/files.js';
import { CallRecord } from '../../../shared/call-record.js';
import { windowsBackward, type BackwardLimits, type LineWindow } from './backward.js';
import type { FilterPlan } from './call-filter.js';
import { candidateLines, DECISION_MARK, WantedCalls } from './candidate-lines.js';
import { outcomesAfter } from './outcome-search.js';
import { mergeOutcome, parseLine } from './reader.js';

export interface DayScan {
  file: string;
  plan: FilterPlan;
  /** Only calls whose decision line starts before this offset (a cursor's place); all when absent. */
  beforeOffset?: number;
  /** Only calls with a ts strictly before this one. */
  beforeTs?: string;
  /** Calls before `beforeOffset` whose outcome line after it matched the filter (the cursor carries them). */
  carried?: readonly string[];
  /** How much is read at a time (tests make it small, so lines cross the windows' borders). */
  limits?: BackwardLimits;
}

export type ScanItem =
  | {
      kind: 'call';
      record: CallRecord;
      offset: number;
      /** The calls before this one that a page ending here must carry to the next (`DayScan.carried`). */
      carried: () => string[];
    }
  /** A window of the file has been read: a caller may stop here. */
  | { kind: 'window'; start: number };

/** The day's matching calls, newest first; nothing when the file has gone (or is no regular file). */
export function* scanDayBackward(scan: DayScan): Generator<ScanItem> {
  const fd = openFileIfExists(scan.file);
  if (fd === undefined) return;
  try {
    const fileSize = fs.fstatSync(fd).size;
    const region = Math.min(scan.beforeOffset ?? fileSize, fileSize);
    const wanted = new WantedCalls(scan.carried);
    for (const window of windowsBackward(fd, region, scan.limits)) {
      const { carriedAt } = wanted.startWindow();
      for (const [start, end] of candidateLines(window, scan.plan, wanted)) {
        const call = readCall(window, start, end, scan);
        if (!call) continue;
        if (call.status === 'pending') {
          const from = window.start + end + 1;
          const outcomes = outcomesAfter(fd, fileSize, from, call.id, {
            window,
            ...(scan.limits ? { chunkBytes: scan.limits.chunkBytes } : {}),
          });
          for (const outcome of outcomes) mergeOutcome(call, outcome);
        }
        const offset = window.start + start;
        if (scan.plan.matches(call))
          yield { kind: 'call', record: call, offset, carried: () => carriedAt(offset) };
      }
      yield { kind: 'window', start: window.start };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The decision line at [start, end) of the window as a record, or undefined when it is none or is excluded. */
function readCall(window: LineWindow, start: number, end: number, scan: DayScan): CallRecord | undefined {
  const line = window.bytes.subarray(start, end);
  if (!line.includes(DECISION_MARK)) return undefined;
  const record = CallRecord.safeParse(parseLine(line.toString('utf8'))).data;
  if (!record) return undefined;
  if (scan.beforeTs !== undefined && record.ts >= scan.beforeTs) return undefined;
  return record;
}
