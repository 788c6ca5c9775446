// Where Gatehouse keeps its files: the home directory of DESIGN.md §2 and the paths inside it.
import os from 'node:os';
import path from 'node:path';

export interface HomePaths {
  home: string;
  settings: string;
  policy: string;
  servers: string;
  grants: string;
  logs: string;
  state: string;
  /** The call log's search index, one file a closed day (rebuilt from logs/ when missing). */
  logIndex: string;
  runtime: string;
  lock: string;
  pause: string;
  diagnostics: string;
}

/** The OS app-data folder `Gatehouse`, unless `--home` or GATEHOUSE_HOME says otherwise. */
export function defaultHomeDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GATEHOUSE_HOME) return path.resolve(env.GATEHOUSE_HOME);
  const userHome = os.homedir();
  if (platform === 'darwin') return path.join(userHome, 'Library', 'Application Support', 'Gatehouse');
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(userHome, 'AppData', 'Roaming'), 'Gatehouse');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(userHome, '.config'), 'Gatehouse');
}

export function homePaths(home: string, policyOverride?: string): HomePaths {
  const abs = path.resolve(home);
  return {
    home: abs,
    settings: path.join(abs, 'settings.json'),
    policy: policyOverride ? path.resolve(policyOverride) : path.join(abs, 'policy.json'),
    servers: path.join(abs, 'servers.json'),
    grants: path.join(abs, 'grants.json'),
    logs: path.join(abs, 'logs'),
    state: path.join(abs, 'state'),
    logIndex: path.join(abs, 'state', 'log-index'),
    runtime: path.join(abs, 'runtime.json'),
    lock: path.join(abs, 'state', 'gateway.lock'),
    pause: path.join(abs, 'state', 'pause.json'),
    diagnostics: path.join(abs, 'gatehouse.log'),
  };
}
