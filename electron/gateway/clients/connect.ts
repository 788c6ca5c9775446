// Connecting a client, with its side effects: read and check the config, plan the change, and on the user's yes write
// a backup, import the servers, create the client's grant, write the config (only if unchanged since it was read),
// and the starting policy. Undo puts the newest differing backup back when that loses nothing. The CLI uses these; the
// dashboard's Connect view can, through the control API.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerConfig } from '../../../shared/servers.js';
import { addGrant, hashToken, readGrants, revokeGrant } from '../grants/store.js';
import { ensureHome, loadServers, loadSettings } from '../home/index.js';
import { readTextIfExists, writeFileAtomic } from '../home/files.js';
import type { HomePaths } from '../home/paths.js';
import { removeServer, saveServer } from '../home/servers-file.js';
import { listBackups, undoLosses, writeBackup } from './backup.js';
import {
  ConnectError,
  parseConfigText,
  readConfigFile,
  writeConfigFile,
  type ConfigFile,
} from './config-file.js';
import { applyPolicyEdits } from '../policy/edit.js';
import { entryToken, type EntryTarget, type Launcher } from './entries.js';
import { CLIENTS, type ClientKind, type ClientName } from './locations.js';
import { clientServers, planConnect, type ConnectPlan } from './plan.js';
import { startingPolicy } from './starting-policy.js';

export interface ConnectRequest {
  client: ClientName;
  configPath: string;
  paths: HomePaths;
  launcher: Launcher;
  /** `--home DIR` for the bridge, when the home is not the default one. */
  homeArgs: string[];
  perServer: boolean;
  noImport: boolean;
  /** A client that takes URLs gets the bridge command anyway. */
  bridge: boolean;
}

export interface PreparedConnect {
  request: ConnectRequest;
  kind: ClientKind;
  config: ConfigFile;
  /** The change, with a stand-in for a token not yet created (so a preview never shows one). */
  plan: ConnectPlan;
  grant: { name: string; exists: boolean; token?: string };
  target: EntryTarget;
  /** The starting policy, when policy.json is still the starter. */
  policy?: { file: string; text: string };
}

function planFor(
  request: ConnectRequest,
  config: ConfigFile,
  target: EntryTarget,
  existing: Record<string, ServerConfig>,
): ConnectPlan {
  const { perServer, noImport } = request;
  const client = CLIENTS[request.client];
  return planConnect({ client, file: config.file, text: config.text, existing, target, perServer, noImport });
}

const TOKEN_STAND_IN = '<token of the new grant>';

function grantToken(config: ConfigFile, kind: ClientKind, tokenHash: string | undefined): string | undefined {
  if (tokenHash === undefined) return undefined;
  const tokens = clientServers(kind, config.file, config.text).map(([, entry]) => entryToken(entry));
  return tokens.find((t) => t !== undefined && hashToken(t) === tokenHash);
}

export function prepareConnect(request: ConnectRequest): PreparedConnect {
  const kind = CLIENTS[request.client];
  const { paths } = request;
  const config = readConfigFile(request.configPath);
  const existing: Record<string, ServerConfig> = loadServers(paths).mcpServers;
  const name = request.client;
  const stored = readGrants(paths.grants).find((g) => g.name === name);
  const token = grantToken(config, kind, stored?.tokenHash);
  const target: EntryTarget =
    kind.takesUrl && !request.bridge
      ? {
          kind: 'url',
          url: `http://127.0.0.1:${loadSettings(paths).port}/mcp`,
          token: token ?? TOKEN_STAND_IN,
        }
      : { kind: 'bridge', launcher: request.launcher, grant: name, homeArgs: request.homeArgs };
  const plan = planFor(request, config, target, existing);
  if (target.kind === 'url' && plan.added.length > 0 && stored && token === undefined)
    throw new ConnectError(
      `a grant named "${name}" exists already, and its token cannot be read back (Gatehouse keeps only its hash)`,
      `If nothing else uses it, revoke it (gatehouse grant revoke ${name}) and run again; or run with --bridge`,
    );
  const policyText = readTextIfExists(paths.policy);
  const proposed = startingPolicy(policyText ?? '{"version":"1","default":"approve"}');
  return {
    request,
    kind,
    config,
    plan,
    target,
    grant: { name, exists: stored !== undefined, ...(token ? { token } : {}) },
    ...(proposed ? { policy: { file: paths.policy, text: proposed } } : {}),
  };
}

/** Runs a write beside or over the client's config; a file-system refusal becomes one that says what to do. */
function writeOrExplain<T>(config: ConfigFile, write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (err instanceof ConnectError) throw err;
    throw new ConnectError(
      `cannot write beside or over ${config.file} (${(err as Error).message})`,
      `Check that you may write to ${path.dirname(config.real)}, and run again`,
    );
  }
}

export interface ConnectResult {
  backup?: string;
  grantCreated: boolean;
  policyWritten: boolean;
}

export function applyConnect(
  prepared: PreparedConnect,
  writePolicy: boolean,
  now = new Date(),
): ConnectResult {
  const { request, config, grant } = prepared;
  const { paths } = request;
  ensureHome(paths);
  let plan = prepared.plan;
  const result: ConnectResult = { grantCreated: false, policyWritten: false };
  if (!plan.changed) return result;
  const backup = writeOrExplain(config, () => writeBackup(config.file, config.text, now));
  result.backup = backup;
  const saved: string[] = [];
  try {
    if (!grant.exists) {
      const { token } = addGrant(paths.grants, grant.name, now);
      result.grantCreated = true;
      if (prepared.target.kind === 'url')
        plan = planFor(request, config, { ...prepared.target, token }, loadServers(paths).mcpServers);
    }
    for (const server of plan.imports.filter((s) => !s.reused)) {
      saveServer(paths, server.name, server.config, false);
      saved.push(server.name);
    }
    writeOrExplain(config, () => writeConfigFile(config, plan.text));
  } catch (err) {
    // Nothing half done: the servers and the grant this run added go again, and so does its backup.
    for (const name of saved) removeServer(paths, name);
    if (result.grantCreated) revokeGrant(paths.grants, grant.name);
    fs.rmSync(backup, { force: true });
    throw err;
  }
  if (writePolicy && prepared.policy) {
    writeFileAtomic(prepared.policy.file, prepared.policy.text, 0o600);
    result.policyWritten = true;
  }
  return result;
}

export interface UndoResult {
  backup: string;
  /** The config did not exist before connect, and is removed again. */
  removed: boolean;
  /** The grant whose only token was in the config undone. */
  revokedGrant?: string;
  /**
   * Other settings of the config changed since connect (Claude Code rewrites its file as it runs): only its servers
   * were put back, the rest kept as it is now — these are what changed.
   */
  keptChanges?: string[];
}

export function undoConnect(client: ClientName, configPath: string, paths: HomePaths): UndoResult {
  const kind = CLIENTS[client];
  const config = readConfigFile(configPath);
  const backup = listBackups(config.file).find((file) => fs.readFileSync(file, 'utf8') !== config.text);
  if (backup === undefined)
    throw new ConnectError(
      `no backup of ${config.file} written by gatehouse connect differs from it`,
      'There is nothing to undo',
    );
  const original = fs.readFileSync(backup, 'utf8');
  const losses = undoLosses(kind, config.file, config.text, original);
  if (losses.others.length > 0 && !losses.serversDiffer)
    throw new ConnectError(
      `${config.file} has the servers it had before gatehouse connect; only its other settings changed since`,
      'There is nothing to undo',
    );
  if (losses.servers.length > 0)
    throw new ConnectError(
      `${config.file} changed since gatehouse connect, and undo would lose: ${losses.servers.join('; ')}`,
      `The original is kept in ${backup}: copy what you need from it by hand`,
    );
  const stored = readGrants(paths.grants).find((g) => g.name === client);
  const token = grantToken(config, kind, stored?.tokenHash);
  const removed = original === '';
  if (removed) {
    if (fs.readFileSync(config.real, 'utf8') !== config.text)
      throw new ConnectError(
        `${config.file} changed while Gatehouse was editing it`,
        'Run the command again',
      );
    fs.rmSync(config.real);
  } else if (losses.others.length > 0) {
    // Only the servers go back, as one exact edit; every other byte stays as the client has it now.
    const before = (parseConfigText(config.file, original, true) as Record<string, unknown>)[kind.serversKey];
    writeConfigFile(
      config,
      applyPolicyEdits(config.text, [{ path: [kind.serversKey], value: before ?? null }]),
    );
  } else writeConfigFile(config, original);
  // The token lived only in this config: with it gone, nobody can use the grant, and a new connect needs the name.
  const revoked = token !== undefined && !original.includes(token) && revokeGrant(paths.grants, client);
  return {
    backup,
    removed,
    ...(revoked ? { revokedGrant: client } : {}),
    ...(losses.others.length > 0 && !removed ? { keptChanges: losses.others } : {}),
  };
}
