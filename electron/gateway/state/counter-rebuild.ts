// Rate limits survive restarts: at start the counters are rebuilt from the call log, which holds every charge
// (the decision line, with its charges, is written before a call is forwarded — even a SIGKILL cannot lose one).
import fs from 'node:fs';
import path from 'node:path';
import type { CounterStore } from '../policy/counters.js';
import { listLogFiles, parseLogText } from '../log/reader.js';

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
    const { records } = parseLogText(fs.readFileSync(path.join(logsDir, name), 'utf8'));
    for (const record of records) {
      if (!record.charges?.length) continue;
      const at = Date.parse(record.ts);
      const live = record.charges.filter((c) => at > now - c.windowMs && at <= now);
      if (live.length === 0) continue;
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
    }
  }
  return restored;
}
