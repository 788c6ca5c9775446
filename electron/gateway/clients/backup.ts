// Backups connect writes next to a client's config (`<file>.gatehouse-backup-<UTC time>`, the original bytes), and
// what undo would lose by putting one back: anything in the config now that connect did not write.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseConfigText } from './config-file.js';
import { isGatehouseEntry } from './entries.js';
import type { ClientKind } from './locations.js';

const MARK = '.gatehouse-backup-';

/** `2026-12-07T06-41-06-123Z`: sorts by time, and every OS takes it in a file name. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/** Writes the original bytes next to the config; mode 0600, since configs hold servers' secrets. */
export function writeBackup(file: string, text: string, now: Date): string {
  let backup = `${file}${MARK}${stamp(now)}`;
  for (let n = 2; fs.existsSync(backup); n++) backup = `${file}${MARK}${stamp(now)}-${n}`;
  fs.writeFileSync(backup, text, { mode: 0o600, flag: 'wx' });
  return backup;
}

/** The config's backups, newest first. */
export function listBackups(file: string): string[] {
  const prefix = `${path.basename(file)}${MARK}`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((name) => name.startsWith(prefix))
    .sort()
    .reverse()
    .map((name) => path.join(path.dirname(file), name));
}

type Json = Record<string, unknown>;

export interface UndoLosses {
  /** Servers added or changed since connect: putting the backup back, whole or its servers only, would lose them. */
  servers: string[];
  /** Other settings changed since (a client that rewrites its own file, as Claude Code does): only the servers go back. */
  others: string[];
  /** The servers differ from the backup's: there is something of connect's to undo. */
  serversDiffer: boolean;
}

/**
 * What putting `backupText` back would lose of `currentText`, in words. Gatehouse's own entries and the servers
 * connect moved out are not losses.
 */
export function undoLosses(
  client: ClientKind,
  file: string,
  currentText: string,
  backupText: string,
): UndoLosses {
  const current = parseConfigText(file, currentText, client.comments) as Json;
  const backup = parseConfigText(file, backupText, true) as Json;
  const key = client.serversKey;
  const before = (backup[key] ?? {}) as Json;
  const losses: UndoLosses = {
    servers: [],
    others: [],
    serversDiffer: !isDeepStrictEqual(before, current[key] ?? {}),
  };
  for (const [name, entry] of Object.entries((current[key] ?? {}) as Json)) {
    if (isGatehouseEntry(entry)) continue;
    if (!Object.hasOwn(before, name)) losses.servers.push(`server "${name}", added after connect`);
    else if (!isDeepStrictEqual(before[name], entry))
      losses.servers.push(`server "${name}", changed after connect`);
  }
  for (const [name, value] of Object.entries(current)) {
    if (name !== key && !isDeepStrictEqual(backup[name], value))
      losses.others.push(`"${name}", changed after connect`);
  }
  return losses;
}
