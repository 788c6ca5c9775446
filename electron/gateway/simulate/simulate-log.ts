// The simulator over a home's call log: the records since a moment, read from logs/ directly (no gateway needed), and
// each server's folders from servers.json so that `path` argument rules are replayed as the live engine reads them.
import type { ServersFile } from '../../../shared/servers.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { CallRecord } from '../../../shared/call-record.js';
import { exportedCalls } from '../log/export.js';
import { canonicalKeys } from '../paths/canonical.js';
import { serverFolders } from '../paths/server-folders.js';
import { nodePathSystem } from '../paths/system.js';
import { plural } from '../text/plural.js';
import { simulateCalls, type Simulation } from './simulate.js';

export interface LogSimulation {
  logsDir: string;
  servers: ServersFile;
  draft: CompiledPolicy;
  /** Only calls at or after this time (ms); all when absent. */
  since?: number;
}

/** The most calls one simulation replays: the newest of the period (memory and time stay bounded). */
const MAX_CALLS = 100_000;

export function simulateLog({ logsDir, servers, draft, since }: LogSimulation): Simulation {
  // Streamed from the first day file of the period on; only the newest MAX_CALLS are kept.
  const recent: CallRecord[] = [];
  let left = 0;
  const period = since === undefined ? {} : { since: new Date(since).toISOString() };
  for (const record of exportedCalls(logsDir, period)) {
    if (record === undefined) continue;
    recent.push(record);
    if (recent.length > MAX_CALLS * 2) left += recent.splice(0, recent.length - MAX_CALLS).length;
  }
  if (recent.length > MAX_CALLS) left += recent.splice(0, recent.length - MAX_CALLS).length;
  const system = nodePathSystem();
  const resolvePath = (value: string, folders: readonly string[]) => canonicalKeys(value, folders, system);
  const folders = new Map<string, readonly string[]>();
  const simulation = simulateCalls(recent, draft, {
    pathsOf: (server) => {
      let known = folders.get(server);
      if (known === undefined) {
        const config = Object.hasOwn(servers.mcpServers, server) ? servers.mcpServers[server] : undefined;
        known = config ? serverFolders(config, process.cwd(), system) : [];
        folders.set(server, known);
      }
      return { folders: known, resolvePath };
    },
  });
  if (left > 0)
    simulation.notes.push(
      `Only the newest ${MAX_CALLS.toLocaleString('en-US')} calls of the period were replayed; ${plural(left, 'older call')} were left out.`,
    );
  return simulation;
}
