// The simulator over a home's call log: the records since a moment, read from logs/ directly (no gateway needed), and
// each server's folders from servers.json so that `path` argument rules are replayed as the live engine reads them.
import type { ServersFile } from '../../../shared/servers.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { readAllRecords } from '../log/reader.js';
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

export function simulateLog({ logsDir, servers, draft, since }: LogSimulation): Simulation {
  const { records, skippedLines } = readAllRecords(logsDir);
  const recent = since === undefined ? records : records.filter((r) => Date.parse(r.ts) >= since);
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
  if (skippedLines > 0)
    simulation.notes.push(`${plural(skippedLines, 'log line')} could not be read and were left out.`);
  return simulation;
}
