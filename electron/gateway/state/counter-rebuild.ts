// Rate limits survive restarts: at start the counters are rebuilt from the call log, which holds every charge
// (the decision line, with its charges, is written before a call is forwarded — even a SIGKILL cannot lose one; an
// approved call is charged at its release, by the line written then, and counted from that line's time).
// Day files are streamed a line at a time and only the charges are kept: a huge day file costs no more memory.
import path from 'node:path';
import type { CounterStore } from '../policy/counters.js';
import { forEachCharge, listLogFiles } from '../log/reader.js';

const DAY_MS = 86_400_000;

/** Charges every logged charge that can still count at `now`; returns how many were restored. */
export function rebuildCounters(
  logsDir: string,
  counters: CounterStore,
  now: number,
  maxWindowMs = DAY_MS,
): number {
  const oldestDay = new Date(now - maxWindowMs - DAY_MS).toISOString().slice(0, 10);
  let restored = 0;
  for (const name of listLogFiles(logsDir)) {
    if (name.slice(0, 10) < oldestDay) continue;
    forEachCharge(path.join(logsDir, name), (at, charges) => {
      const live = charges.filter((c) => at > now - c.windowMs && at <= now);
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
    });
  }
  return restored;
}
