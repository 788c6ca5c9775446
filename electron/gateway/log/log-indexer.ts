// Keeps a search index (day-index.ts) for every day file no longer written — the days before today (UTC): builds the
// ones missing or stale a read at a time, giving the event loop a turn between reads, and removes the index of a day
// file that is gone. Run at start and with retention; a search never waits for it (a day without an index is read).
import path from 'node:path';
import { DayIndexes, indexSteps } from './day-index.js';
import { DAY_FILE, listLogFiles } from './reader.js';
import { nextTurn } from './turns.js';

/**
 * Builds the missing and stale indexes of the days before `today`; returns the days it indexed. `stopped`: asked
 * between reads; once true, the build ends there (the gateway stops).
 */
export async function indexClosedDays(
  logsDir: string,
  indexes: DayIndexes,
  today: string,
  stopped: () => boolean = () => false,
): Promise<string[]> {
  const days = listLogFiles(logsDir).map((name) => (DAY_FILE.exec(name) as RegExpExecArray)[1] as string);
  indexes.prune(new Set(days));
  const built: string[] = [];
  for (const day of days) {
    const file = path.join(logsDir, `${day}.jsonl`);
    if (day >= today || !indexes.stale(day, file)) continue;
    const steps = indexSteps(file);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) {
        if (step.value) {
          indexes.store(day, step.value);
          built.push(day);
        }
        break;
      }
      await nextTurn();
      if (stopped()) {
        steps.return(undefined);
        return built;
      }
    }
  }
  return built;
}
