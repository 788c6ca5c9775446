// A client's config at a glance, for the dashboard's Connect view: found or not, Gatehouse's entries in it, what
// bypasses Gatehouse (its other servers; Claude Desktop's extensions), and whether undo has a backup to put back.
import fs from 'node:fs';
import path from 'node:path';
import { readTextIfExists } from '../home/files.js';
import { listBackups, undoLosses } from './backup.js';
import { claudeExtensions } from './check.js';
import { isGatehouseEntry } from './entries.js';
import type { ClientKind } from './locations.js';
import { clientServers } from './plan.js';

export interface ClientOverview {
  found: boolean;
  entries: string[];
  bypassing: string[];
  canUndo: boolean;
  problem?: string;
}

export function clientOverview(kind: ClientKind, file: string): ClientOverview {
  const text = readTextIfExists(file);
  const extensions =
    kind.name === 'claude'
      ? claudeExtensions(path.dirname(file)).map((b) => `extension ${b.name ?? b.where}`)
      : [];
  if (text === undefined) return { found: false, entries: [], bypassing: extensions, canUndo: false };
  try {
    // As undo decides: the newest backup that differs, put back only when that loses nothing changed since.
    const backup = listBackups(file).find((b) => fs.readFileSync(b, 'utf8') !== text);
    const losses =
      backup === undefined ? undefined : undoLosses(kind, file, text, fs.readFileSync(backup, 'utf8'));
    const canUndo =
      losses !== undefined &&
      losses.servers.length === 0 &&
      (losses.others.length === 0 || losses.serversDiffer);
    const servers = clientServers(kind, file, text);
    const entries = servers.filter(([, entry]) => isGatehouseEntry(entry)).map(([name]) => name);
    const others = servers.map(([name]) => name).filter((name) => !entries.includes(name));
    return { found: true, entries, bypassing: [...others, ...extensions], canUndo };
  } catch (err) {
    return {
      found: true,
      entries: [],
      bypassing: extensions,
      canUndo: false,
      problem: (err as Error).message,
    };
  }
}
