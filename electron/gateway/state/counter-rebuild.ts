// Rate limits survive restarts: at start the counters come back from the call log, which holds every charge
// (the decision line, with its charges, is written before a call is forwarded — even a SIGKILL cannot lose one; an
// approved call is charged at its release, by the line written then, and counted from that line's time).
// Usually from the checkpoint (counter-checkpoint.ts) plus the lines logged after it; otherwise — no usable
// checkpoint — by reading every day file that can still hold a charge that counts.
// Day files are streamed a line at a time and only the charges are kept: a huge day file costs no more memory.
import path from 'node:path';
import type { CounterStore } from '../policy/counters.js';
import { forEachCharge, listLogFiles } from '../log/reader.js';
import { plural } from '../text/plural.js';
import { firstDayToRead, planFromCheckpoint, type TailRead } from './counter-checkpoint.js';

const DAY_MS = 86_400_000;

/** Charges the charges of `reads` that can still count at `now`; returns how many lines charged. */
function chargeFromLog(reads: readonly TailRead[], counters: CounterStore, now: number): number {
  let restored = 0;
  for (const read of reads) {
    forEachCharge(
      read.file,
      (at, charges) => {
        // A charge the team's Redis counted (team mode) is kept there, not here: the gateway held it nowhere else.
        const live = charges.filter((c) => c.counted !== 'team' && at > now - c.windowMs && at <= now);
        if (live.length === 0) return;
        counters.charge(
          live.map((c) => ({
            key: c.key,
            counter: c.key,
            windowMs: c.windowMs,
            max: Number.POSITIVE_INFINITY,
          })),
          at,
        );
        restored++;
      },
      read.from,
    );
  }
  return restored;
}

/** Charges every logged charge that can still count at `now`; returns how many lines charged. */
export function rebuildCounters(
  logsDir: string,
  counters: CounterStore,
  now: number,
  maxWindowMs = DAY_MS,
): number {
  const firstDay = firstDayToRead(now, maxWindowMs);
  const reads = listLogFiles(logsDir)
    .filter((name) => name.slice(0, 10) >= firstDay)
    .map((name) => ({ file: path.join(logsDir, name), from: 0 }));
  return chargeFromLog(reads, counters, now);
}

/** Where the counters came from at start. */
type CountersRestored =
  | { from: 'checkpoint'; takenAt: number; hits: number; tailCharges: number }
  | { from: 'log'; why: string; charges: number };

/**
 * The counters at start: the checkpoint's, then the charges logged after it; or, when the checkpoint cannot be used,
 * rebuilt from the log alone. `maxWindowMs`: the longest window of the policy in force.
 */
export function restoreCounters(
  checkpointFile: string,
  logsDir: string,
  counters: CounterStore,
  now: number,
  maxWindowMs = DAY_MS,
): CountersRestored {
  const plan = planFromCheckpoint(checkpointFile, logsDir, now, maxWindowMs);
  if (!plan.usable)
    return { from: 'log', why: plan.why, charges: rebuildCounters(logsDir, counters, now, maxWindowMs) };
  counters.restore({ version: 1, counters: plan.counters });
  counters.pruneAll(now);
  const hits = counters.snapshot().counters.reduce((sum, c) => sum + c.hits.length, 0);
  return {
    from: 'checkpoint',
    takenAt: plan.takenAt,
    hits,
    tailCharges: chargeFromLog(plan.tail, counters, now),
  };
}

/** The diagnostics line for a start, or undefined when there was nothing to restore and nothing to explain. */
export function describeRestore(restored: CountersRestored): string | undefined {
  if (restored.from === 'checkpoint') {
    if (restored.hits + restored.tailCharges === 0) return undefined;
    const taken = new Date(restored.takenAt).toISOString();
    return `rate limits: restored ${plural(restored.hits, 'charge')} from the checkpoint of ${taken} and ${restored.tailCharges} from the call log since`;
  }
  if (restored.why === 'no checkpoint yet' && restored.charges === 0) return undefined;
  return `rate limits: restored ${plural(restored.charges, 'charge')} from the call log (${restored.why})`;
}
