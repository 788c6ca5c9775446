// The Connect view's routes: MCP clients' configs listed, a connect previewed, done and undone — by the same code as
// `gatehouse connect` (clients/). What leaves here never holds a token or an env value: masked as servers are.
//
// Security: these routes write a client's config and create grants, so they are admin-only like every control route
// (the dashboard's token; an agent never gets it). Even so, what they can write is narrow: `client` is one of the known
// names (a zod enum), the config path is always that client's own default one — no path comes from the API (the
// `--config-path` override stays CLI-only) — the entry written is Gatehouse's own (the bridge of this install, or the
// gateway's URL), and a connect is refused unless the caller saw exactly this change (ifUnchanged).
import crypto from 'node:crypto';
import type { Settings } from '../../../shared/settings.js';
import { ServerConfig } from '../../../shared/servers.js';
import { applyConnect, prepareConnect, undoConnect, type PreparedConnect } from '../clients/connect.js';
import { ConnectError } from '../clients/config-file.js';
import { gatehouseEntry } from '../clients/entries.js';
import { bridgeHomeArgs, bridgeLauncher } from '../clients/launcher.js';
import { CLIENT_NAMES, CLIENTS, defaultConfigPath, type ClientName } from '../clients/locations.js';
import { clientOverview } from '../clients/overview.js';
import { clientServers } from '../clients/plan.js';
import { READ_RULES, startingPolicy } from '../clients/starting-policy.js';
import { readTextIfExists } from '../home/files.js';
import type { HomePaths } from '../home/paths.js';
import { lineDiff } from '../policy/recommend.js';
import { ApiError } from './api-error.js';
import type { ControlHandlers } from './http-adapter.js';
import { MASK, maskServerConfig, maskText } from './mask.js';

export interface ClientsContext {
  paths: HomePaths;
  /** The environment and OS the clients' config locations are found with (HOME, APPDATA, XDG_CONFIG_HOME). */
  clientEnv: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The port the gateway listens on now. */
  port: () => number | undefined;
  settings: () => Settings;
  reloadServers: () => void;
  reloadPolicy: () => boolean;
  closeGrant: (grant: string) => Promise<number>;
}

type Handlers = Pick<
  ControlHandlers,
  'listClientConfigs' | 'previewConnect' | 'connectClient' | 'undoConnect'
>;
interface Options {
  client: ClientName;
  perServer?: boolean | undefined;
  noImport?: boolean | undefined;
  bridge?: boolean | undefined;
}

const STARTER = '{"version":"1","default":"approve"}';
/** Per-OS paths shown with the OS's own words for the home and app-data folders. */
const SHOWN_ENV = { HOME: '~', USERPROFILE: '%USERPROFILE%', APPDATA: '%APPDATA%' };

/** A refusal of the clients' code (a broken, read-only or changed config) as the API's answer. */
function refusing<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof ConnectError) throw new ApiError(409, err.message);
    throw err;
  }
}

type Entry = Record<string, unknown>;
const isObject = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every value of a client entry that must not be shown: env and header values, and what mask.ts hides. */
function entrySecrets(entry: unknown): string[] {
  if (!isObject(entry)) return [];
  const found: string[] = [];
  for (const key of ['env', 'headers'] as const) {
    const values = entry[key];
    if (!isObject(values)) continue;
    for (const value of Object.values(values)) {
      if (typeof value !== 'string') continue;
      found.push(value);
      const bearer = /^\S+\s+(\S+)$/.exec(value)?.[1];
      if (bearer) found.push(bearer);
    }
  }
  const { type: _type, ...rest } = entry;
  const parsed = ServerConfig.safeParse(rest);
  if (parsed.success) {
    const masked = maskServerConfig(parsed.data);
    const config = parsed.data as Entry;
    for (const key of ['command', 'url'] as const)
      if (typeof config[key] === 'string' && masked[key] !== config[key]) found.push(config[key]);
    const args = Array.isArray(config.args) ? (config.args as string[]) : [];
    args.forEach((arg, i) => {
      if ((masked.args as string[])[i] !== arg) found.push(arg);
    });
  }
  return found;
}

/** An entry as shown: env and header values masked, and every secret of the config in its strings. */
function maskEntry(entry: Entry, secrets: readonly string[]): Entry {
  const out: Entry = {};
  for (const [key, value] of Object.entries(entry)) {
    if ((key === 'env' || key === 'headers') && isObject(value))
      out[key] = Object.fromEntries(Object.keys(value).map((k) => [k, MASK]));
    else if (typeof value === 'string') out[key] = maskText(value, secrets);
    else if (Array.isArray(value))
      out[key] = value.map((v: unknown) => (typeof v === 'string' ? maskText(v, secrets) : v));
    else out[key] = value;
  }
  return out;
}

function hashOf(prepared: PreparedConnect): string {
  const { config, plan } = prepared;
  const imports = plan.imports.map((s) => [s.clientName, s.name, s.reused]);
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([config.exists, config.text, plan.text, imports]))
    .digest('hex');
}

export function clientsHandlers(ctx: ClientsContext): Handlers {
  const configPath = (client: ClientName) => defaultConfigPath(client, ctx.clientEnv, ctx.platform);
  const prepare = (input: Options) =>
    refusing(() =>
      prepareConnect({
        client: input.client,
        configPath: configPath(input.client),
        paths: ctx.paths,
        launcher: bridgeLauncher(),
        homeArgs: bridgeHomeArgs(ctx.paths.home, ctx.clientEnv),
        perServer: input.perServer === true,
        noImport: input.noImport === true,
        bridge: input.bridge === true,
      }),
    );

  const warningsOf = (prepared: PreparedConnect): string[] => {
    const { kind, plan, target } = prepared;
    const warnings = plan.kept.map(
      (s) => `"${s.clientName}" stays in ${kind.label}'s config and is NOT protected by Gatehouse: ${s.why}`,
    );
    const port = ctx.port();
    if (target.kind === 'url' && port !== undefined && port !== ctx.settings().port)
      warnings.push(
        `The gateway listens on port ${port} now, but the entry uses settings.json's port ${ctx.settings().port} (the one it starts on)`,
      );
    if (kind.name === 'claude' && plan.changed)
      warnings.push(
        'Quit Claude Desktop before connecting (it rewrites its config while it runs), and start it again after',
      );
    return warnings;
  };

  return {
    listClientConfigs: () => {
      const clients = CLIENT_NAMES.map((name) => {
        const kind = CLIENTS[name];
        const file = configPath(name);
        const overview = refusing(() => clientOverview(kind, file));
        return {
          name,
          label: kind.label,
          configPath: file,
          paths: {
            darwin: defaultConfigPath(name, SHOWN_ENV, 'darwin'),
            win32: defaultConfigPath(name, SHOWN_ENV, 'win32'),
            linux: defaultConfigPath(name, SHOWN_ENV, 'linux'),
          },
          found: overview.found,
          connected: overview.entries.length > 0,
          entries: overview.entries,
          bypassing: overview.bypassing,
          takesUrl: kind.takesUrl,
          canUndo: overview.canUndo,
          ...(overview.problem !== undefined ? { problem: overview.problem } : {}),
        };
      });
      const proposed = startingPolicy(readTextIfExists(ctx.paths.policy) ?? STARTER);
      return {
        clients,
        ...(proposed ? { startingPolicy: { text: proposed, allowed: Object.keys(READ_RULES) } } : {}),
      };
    },

    previewConnect: (input) => {
      const prepared = prepare(input);
      const { kind, config, plan, target } = prepared;
      const secrets = [
        ...[config.text, plan.text].flatMap((text) =>
          refusing(() => clientServers(kind, config.file, text)).flatMap(([, entry]) => entrySecrets(entry)),
        ),
        ...(prepared.grant.token ? [prepared.grant.token] : []),
      ];
      const diff = lineDiff(config.text, plan.text, config.file).replace(
        `+++ ${config.file} (recommended)`,
        `+++ ${config.file} (connected)`,
      );
      return {
        client: input.client,
        configPath: config.file,
        changed: plan.changed,
        hash: hashOf(prepared),
        imports: plan.imports.map((s) => ({
          clientName: s.clientName,
          name: s.name,
          reused: s.reused,
          ...(s.renamed !== undefined ? { renamed: s.renamed } : {}),
          config: maskServerConfig(s.config),
        })),
        kept: plan.kept,
        added: plan.added.map((a) => ({
          ...a,
          entry: maskEntry(gatehouseEntry(target, kind, a.server), secrets),
        })),
        present: plan.present,
        moved: plan.moved,
        ...(prepared.grant.exists || plan.added.length === 0 ? {} : { newGrant: prepared.grant.name }),
        diff: maskText(diff, secrets),
        warnings: warningsOf(prepared),
        ...(prepared.policy ? { startingPolicy: prepared.policy.text } : {}),
      };
    },

    connectClient: (input) => {
      const prepared = prepare(input);
      if (hashOf(prepared) !== input.ifUnchanged)
        throw new ApiError(
          409,
          `${prepared.config.file} (or servers.json) changed since the preview: preview again, then connect`,
        );
      const done = refusing(() => applyConnect(prepared, input.startingPolicy === true));
      const imported = prepared.plan.imports.filter((s) => !s.reused).map((s) => s.name);
      if (prepared.plan.changed) ctx.reloadServers();
      if (done.policyWritten) ctx.reloadPolicy();
      return {
        changed: prepared.plan.changed,
        ...(done.backup !== undefined ? { backup: done.backup } : {}),
        imported: prepared.plan.changed ? imported : [],
        grantCreated: done.grantCreated,
        policyWritten: done.policyWritten,
      };
    },

    undoConnect: async ({ client }) => {
      const undone = refusing(() => undoConnect(client, configPath(client), ctx.paths));
      if (undone.revokedGrant) await ctx.closeGrant(undone.revokedGrant);
      return undone;
    },
  };
}
