// The MCP clients Gatehouse connects to (`gatehouse connect`, later the dashboard's Connect view): where each keeps its
// config, the key its servers live under, and whether it reaches a server by URL or only by starting a command.
import os from 'node:os';
import path from 'node:path';

export const CLIENT_NAMES = ['claude', 'cursor', 'vscode', 'claude-code'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

export interface ClientKind {
  name: ClientName;
  /** As the user knows it. */
  label: string;
  /** The top-level key of its servers: VS Code's mcp.json says `servers`, the others `mcpServers`. */
  serversKey: 'mcpServers' | 'servers';
  /** Whether it can reach a server by URL (Claude Desktop starts stdio servers only). */
  takesUrl: boolean;
  /** Whether its file may hold comments (VS Code's files are JSONC). */
  comments: boolean;
}

export const CLIENTS: Record<ClientName, ClientKind> = {
  claude: {
    name: 'claude',
    label: 'Claude Desktop',
    serversKey: 'mcpServers',
    takesUrl: false,
    comments: false,
  },
  cursor: { name: 'cursor', label: 'Cursor', serversKey: 'mcpServers', takesUrl: true, comments: false },
  vscode: { name: 'vscode', label: 'VS Code', serversKey: 'servers', takesUrl: true, comments: true },
  'claude-code': {
    name: 'claude-code',
    label: 'Claude Code',
    serversKey: 'mcpServers',
    takesUrl: true,
    comments: false,
  },
};

export function isClientName(value: string): value is ClientName {
  return (CLIENT_NAMES as readonly string[]).includes(value);
}

/** The user's home folder as the client sees it: HOME (USERPROFILE on Windows) from the environment first. */
function userHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  return (platform === 'win32' ? env.USERPROFILE : env.HOME) ?? os.homedir();
}

/** The folder an app keeps its settings in: Application Support, %APPDATA%, or ~/.config. */
function appData(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = userHome(env, platform);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME ?? path.join(home, '.config');
}

/** Where the client keeps its user-wide MCP config on this OS. */
export function defaultConfigPath(
  client: ClientName,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  switch (client) {
    case 'claude':
      return p.join(appData(env, platform), 'Claude', 'claude_desktop_config.json');
    case 'cursor':
      return p.join(userHome(env, platform), '.cursor', 'mcp.json');
    case 'vscode':
      return p.join(appData(env, platform), 'Code', 'User', 'mcp.json');
    case 'claude-code':
      return p.join(userHome(env, platform), '.claude.json');
  }
}
