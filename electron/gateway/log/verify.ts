// `gatehouse log verify` and the API's chain head: walks the day files in order through the hash chain (chain.ts).
import path from 'node:path';
import { DayChain, type ChainBreak, type DayLink } from './chain.js';
import { listLogFiles, readLogLines } from './reader.js';

export interface LogVerdict {
  /** Day files walked. */
  days: number;
  records: number;
  /** The last hash of the newest day walked, and its day: keep it elsewhere to prove the log later. */
  head?: string;
  headDay?: string;
  /** The first break (the walk stops there). */
  problem?: ChainBreak;
  warnings: string[];
}

/** Walks the day files from `sinceDay` (YYYY-MM-DD, inclusive; all when undefined) to the newest, oldest first. */
export function verifyLog(logsDir: string, sinceDay?: string): LogVerdict {
  const verdict: LogVerdict = { days: 0, records: 0, warnings: [] };
  let before: DayLink | undefined;
  for (const name of listLogFiles(logsDir)) {
    const day = name.slice(0, 10);
    if (sinceDay !== undefined && day < sinceDay) continue;
    const file = path.join(logsDir, name);
    // Light first (nothing kept per line); walked again keeping every line only when something broke, to say what.
    let chain = new DayChain(day, before, true);
    if (!readLogLines(file, (line, index) => chain.push(line, index))) continue;
    if (!chain.intact) {
      chain = new DayChain(day, before);
      readLogLines(file, (line, index) => chain.push(line, index));
    }
    const result = chain.end();
    verdict.days++;
    verdict.records += result.records;
    verdict.warnings.push(...result.warnings);
    if (result.head !== undefined) {
      verdict.head = result.head;
      verdict.headDay = day;
    }
    if (result.problem) return { ...verdict, problem: result.problem };
    before = result.link;
  }
  return verdict;
}
