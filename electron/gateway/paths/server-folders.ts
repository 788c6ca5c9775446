// The folders a server was given, against which it reads a relative path: its working directory, its roots, and
// the folders among its command-line arguments (server-filesystem is given its allowed folders that way).
import path from 'node:path';
import { readings } from './canonical.js';
import type { PathSystem } from './system.js';

/** What servers.json says about a server, as far as its folders go. */
export interface ServerLaunch {
  command?: string;
  args?: readonly string[];
  cwd?: string;
  roots?: readonly string[];
}

/**
 * Each folder once as configured (absolute) and once with its symlinks resolved, the working directory first. A stdio
 * server without `cwd` runs in the gateway's own (`gatewayCwd`); a server over HTTP has only its roots.
 */
export function serverFolders(
  server: ServerLaunch | undefined,
  gatewayCwd: string,
  system: PathSystem,
): string[] {
  if (server === undefined) return [];
  const api = system.platform === 'win32' ? path.win32 : path.posix;
  const found = new Set<string>();
  const add = (folder: string) => {
    found.add(folder);
    const real = system.realpath(folder);
    if (real !== undefined) found.add(real);
  };
  const stdio = server.command !== undefined;
  const cwd = api.resolve(gatewayCwd, server.cwd ?? '.');
  if (stdio) add(cwd);
  for (const root of server.roots ?? []) {
    // servers.json roots are relative to the gateway, as relay/roots.ts tells the server.
    for (const folder of readings(root, [gatewayCwd], system).paths) add(folder);
  }
  if (stdio) {
    for (const arg of server.args ?? []) {
      // `--root=/srv/x` as well as `/srv/x`; options without a value are not folders.
      if (arg.startsWith('-') && !arg.includes('=')) continue;
      const value = arg.startsWith('-') ? arg.slice(arg.indexOf('=') + 1) : arg;
      if (value === '') continue;
      for (const folder of readings(value, [cwd], system).paths) {
        if (system.isDirectory(folder)) add(folder);
      }
    }
  }
  return [...found];
}
