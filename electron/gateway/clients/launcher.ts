// How a client's config starts the bridge: an absolute program, never a bare `npx gatehouse` (that name on the npm
// registry is someone else's package). The CLI and the control API (the dashboard's Connect view) both use this.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHomeDir, homePaths } from '../home/paths.js';
import type { Launcher } from './entries.js';

/** How far up from this module bin/gatehouse.js may be: the checkout's root from src and from dist/node alike. */
const LEVELS_UP = 4;

/**
 * The bridge as this install runs it. In Electron (the tray app) the app binary is its own bridge (`--bridge`); the
 * app's folder comes along when Electron was started on a folder (`electron .`). Elsewhere this Node and the checkout's
 * bin/gatehouse.js, found above this module (src and the bundle in dist/node sit at different depths).
 */
export function bridgeLauncher(from: string = import.meta.url): Launcher {
  if (process.versions.electron !== undefined) {
    const app = (process as { defaultApp?: boolean }).defaultApp && process.argv[1];
    return { command: process.execPath, args: [...(app ? [path.resolve(app)] : []), '--bridge'] };
  }
  let dir = path.dirname(fileURLToPath(from));
  for (let n = 0; n <= LEVELS_UP; n++, dir = path.dirname(dir)) {
    const script = path.join(dir, 'bin', 'gatehouse.js');
    if (fs.existsSync(script)) return { command: process.execPath, args: [script, 'bridge'] };
  }
  throw new Error(
    `bin/gatehouse.js is not found above ${fileURLToPath(from)}: run gatehouse from its own folder's bin/`,
  );
}

/** `--home DIR` for the bridge when `home` is not the default one (the bridge finds the default itself). */
export function bridgeHomeArgs(home: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return home === homePaths(defaultHomeDir({ ...env, GATEHOUSE_HOME: '' })).home ? [] : ['--home', home];
}
