// Edits of servers.json, the same from the control API and from `gatehouse server …` with no gateway running: read
// and checked whole, changed, written atomically (mode 0600: it holds the upstreams' secrets). A running gateway
// applies the file when it changes.
import { SERVER_NAME_PATTERN, type ServerConfig, type ServersFile } from '../../../shared/servers.js';
import { writeFileAtomic } from './files.js';
import type { HomePaths } from './paths.js';
import { loadServers } from './index.js';

/** Why an edit was refused, with the HTTP status the control API answers. */
export class ServersFileError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** The server's config, its name looked up as an own key ("constructor" is a name, not Object.prototype's). */
export function serverConfig(file: ServersFile, name: string): ServerConfig | undefined {
  return Object.hasOwn(file.mcpServers, name) ? file.mcpServers[name] : undefined;
}

function write(paths: HomePaths, file: ServersFile): void {
  writeFileAtomic(paths.servers, `${JSON.stringify(file, null, 2)}\n`, 0o600);
}

function checkName(name: string): void {
  if (!SERVER_NAME_PATTERN.test(name)) {
    throw new ServersFileError(
      400,
      `server name "${name}" is not valid: 1–32 lowercase letters, digits and "-", not starting with "-"`,
    );
  }
}

/** Adds a server; `replace` lets it take the place of one of the same name. */
export function saveServer(paths: HomePaths, name: string, config: ServerConfig, replace: boolean): void {
  checkName(name);
  const file = loadServers(paths);
  if (!replace && serverConfig(file, name)) {
    throw new ServersFileError(409, `a server named "${name}" already exists`);
  }
  write(paths, { ...file, mcpServers: { ...file.mcpServers, [name]: config } });
}

export function removeServer(paths: HomePaths, name: string): void {
  const file = loadServers(paths);
  if (!serverConfig(file, name)) throw new ServersFileError(404, `no server named "${name}"`);
  const mcpServers = { ...file.mcpServers };
  delete mcpServers[name];
  write(paths, { ...file, mcpServers });
}
