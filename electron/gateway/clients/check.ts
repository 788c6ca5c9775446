// `connect --check`: what reaches tools without passing through Gatehouse — servers in a client's config beside
// Gatehouse's entries, Claude Desktop's extensions (installed outside its config), and per-project configs.
import fs from 'node:fs';
import path from 'node:path';
import { readDirIfExists, readTextIfExists } from '../home/files.js';
import { isGatehouseEntry } from './entries.js';
import { CLIENTS, type ClientKind } from './locations.js';
import { clientServers } from './plan.js';

export interface Bypass {
  /** The file or folder it was found in. */
  where: string;
  what: string;
  /** The server's or extension's name, when it is one. */
  name?: string;
}

/** Servers of a client's config that are not Gatehouse's entries. */
export function configBypasses(client: ClientKind, file: string, text: string): Bypass[] {
  return clientServers(client, file, text)
    .filter(([, entry]) => !isGatehouseEntry(entry))
    .map(([name]) => ({ where: file, what: `server "${name}" is reached directly, not through Gatehouse` }));
}

/**
 * Claude Desktop's extensions (.mcpb, formerly .dxt): each folder of `Claude Extensions` beside its config, and each
 * key of `extensions` in `extensions-installations.json` there (the shapes seen in Claude Desktop's folder; anything
 * else in that file is not read).
 */
export function claudeExtensions(configDir: string): Bypass[] {
  const folder = path.join(configDir, 'Claude Extensions');
  const found = new Map<string, string>();
  for (const name of readDirIfExists(folder)) {
    if (fs.statSync(path.join(folder, name)).isDirectory()) found.set(name, folder);
  }
  const installs = path.join(configDir, 'extensions-installations.json');
  const text = readTextIfExists(installs);
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return [
        ...bypassesOf(found),
        { where: installs, what: `could not be read (${(err as Error).message})` },
      ];
    }
    const extensions = (parsed as { extensions?: unknown } | null)?.extensions;
    if (typeof extensions === 'object' && extensions !== null) {
      for (const name of Object.keys(extensions)) if (!found.has(name)) found.set(name, installs);
    }
  }
  return bypassesOf(found);
}

function bypassesOf(found: Map<string, string>): Bypass[] {
  return [...found].map(([name, where]) => ({
    where,
    name,
    what: `Claude Desktop extension "${name}" runs its server directly, not through Gatehouse`,
  }));
}

const PROJECT_CONFIGS: [string, ClientKind][] = [
  [path.join('.cursor', 'mcp.json'), CLIENTS.cursor],
  [path.join('.vscode', 'mcp.json'), CLIENTS.vscode],
  ['.mcp.json', CLIENTS['claude-code']],
];

/** Per-project configs in each folder named and in its direct subfolders (a folder of projects). */
export function projectBypasses(dirs: string[]): Bypass[] {
  const folders = dirs.flatMap((dir) => [
    dir,
    ...readDirIfExists(dir)
      .sort()
      .filter((name) => !name.startsWith('.') && name !== 'node_modules')
      .map((name) => path.join(dir, name))
      .filter((sub) => fs.statSync(sub, { throwIfNoEntry: false })?.isDirectory()),
  ]);
  return folders.flatMap((folder) =>
    PROJECT_CONFIGS.flatMap(([relative, kind]) => {
      const file = path.join(folder, relative);
      const text = readTextIfExists(file);
      if (text === undefined) return [];
      try {
        return configBypasses(kind, file, text);
      } catch (err) {
        return [{ where: file, what: `could not be read: ${(err as Error).message}` }];
      }
    }),
  );
}
