// Log retention (settings.logRetentionDays): whole day files are removed once they fall out of the window.
import fs from 'node:fs';
import path from 'node:path';
import { DAY_FILE } from './reader.js';
import { readDirIfExists } from '../home/files.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the day files older than the window and returns their names, oldest first.
 * The rule: with today = now's UTC date, a file is kept when its day is on or after today − retentionDays, so
 * today's file and the retentionDays days before it are kept (on 2026-11-24 with 30: 2026-10-25 is kept,
 * 2026-10-24 removed). Every record is therefore kept for at least retentionDays × 24 hours.
 * Only regular files named `YYYY-MM-DD.jsonl` (a real date) are touched; anything else in the folder stays.
 * A file that cannot be removed does not stop the others; the failures are thrown together at the end.
 */
export function pruneOldLogs(logsDir: string, retentionDays: number, now: Date): string[] {
  if (!Number.isInteger(retentionDays) || retentionDays < 1)
    throw new RangeError(
      `logRetentionDays must be a whole number of days, at least 1 (got ${retentionDays})`,
    );
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const firstKept = new Date(today - retentionDays * DAY_MS).toISOString().slice(0, 10);

  const names = readDirIfExists(logsDir);
  const removed: string[] = [];
  const failures: string[] = [];
  for (const name of names.sort()) {
    const day = DAY_FILE.exec(name)?.[1];
    if (day === undefined || !isRealDate(day) || day >= firstKept) continue;
    const file = path.join(logsDir, name);
    try {
      if (!fs.lstatSync(file).isFile()) continue;
      fs.unlinkSync(file);
      removed.push(name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') failures.push(`${name} (${code ?? (err as Error).message})`);
    }
  }
  if (failures.length > 0)
    throw new Error(
      `could not remove old call log files in ${logsDir}: ${failures.join(', ')}` +
        (removed.length > 0 ? `; removed ${removed.join(', ')}` : ''),
    );
  return removed;
}

function isRealDate(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}
