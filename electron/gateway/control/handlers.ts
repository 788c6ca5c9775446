// The control operations, implemented over the running gateway. Served by the HTTP adapter (and later the IPC bridge).
import type { ArgRule } from '../../../shared/policy.js';
import type { Settings } from '../../../shared/settings.js';
import { Settings as SettingsSchema } from '../../../shared/settings.js';
import { type ServerConfig, type UpstreamStatus } from '../../../shared/servers.js';
import type { ServerView, ToolInfo } from '../../../shared/api/operations.js';
import type { CounterBackend } from '../../../shared/api/counter-shapes.js';
import { writeFileAtomic, readTextIfExists, parseJsonFile } from '../home/files.js';
import type { HomePaths } from '../home/paths.js';
import { loadServers } from '../home/index.js';
import { removeServer, saveServer, serverConfig, ServersFileError } from '../home/servers-file.js';
import { addGrant, readGrants, revokeGrant, type GrantEntry } from '../grants/store.js';
import type { ChainHead } from '../log/chain-head.js';
import type { DayIndexes } from '../log/day-index.js';
import { queryCalls } from '../log/query.js';
import { selectRule } from '../policy/select.js';
import { counterKey } from '../policy/decide.js';
import type { CounterView } from '../policy/types.js';
import type { NameTable } from '../names/name-table.js';
import { classifyTool } from '../risk/classify.js';
import type { PolicyInForce } from '../policy/holder.js';
import { maskServerConfig, maskSettings, maskStatus } from './mask.js';
import { unmaskServerConfig, unmaskSettingsPatch } from './unmask.js';
import { healthHandlers, type HealthContext } from './health-handlers.js';
import { policyHandlers, refuseTeamPolicyWrite, type PolicyRouteContext } from './policy-handlers.js';
import { pinHandlers } from './pin-handlers.js';
import { policyAdviceHandlers } from './policy-advice-handlers.js';
import { logHandlers } from './log-handlers.js';
import { clientsHandlers } from './clients-handlers.js';
import { ApiError } from './api-error.js';
import type { ApprovalService } from '../approvals/service.js';
import { theUser } from '../approvals/answerer.js';
import type { ControlHandlers } from './http-adapter.js';

export interface ControlContext
  extends HealthContext, Pick<PolicyRouteContext, 'policySource' | 'refreshPolicySource'> {
  paths: HomePaths;
  /** The call log's search index of each closed day. */
  logIndexes: DayIndexes;
  /** The newest day file's chain, walked as it grows. */
  chainHead: ChainHead;
  policy: () => PolicyInForce;
  /** Re-reads policy.json now; false when it is invalid (the last good one stays). */
  reloadPolicy: () => boolean;
  names: () => NameTable;
  counters: CounterView;
  clock: () => number;
  sessionsOf: (grant: string) => number;
  closeGrant: (grant: string) => Promise<number>;
  /** Reads grants.json again now: a grant written or revoked a moment ago is in force for the very next request. */
  reloadGrants: () => void;
  upstreamStatus: () => UpstreamStatus[];
  restartUpstream: (name: string) => Promise<void>;
  reloadServers: () => void;
  settings: () => Settings;
  reloadSettings: () => void;
  isPaused: () => boolean;
  setPaused: (paused: boolean) => void;
  newLoginUrl: () => string;
  exchangeLoginCode: (code: string) => string | undefined;
  /** Ends the dashboard session of this token; false when it is not a dashboard token. */
  endLogin: (token: string) => boolean;
  /** One argument rule tried on one value of a call to `server`, as the policy would check it. */
  testArgument: (server: string, name: string, rule: ArgRule, value: unknown) => string | undefined;
  approvals: ApprovalService;
  pinOf: (server: string, tool: string) => string | undefined;
  acceptPin: (server: string, tool: string) => void;
  renamedFrom: (server: string, tool: string) => string | undefined;
  /** The environment and OS MCP clients' configs are found with (the Connect view). */
  clientEnv: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The port the gateway listens on now. */
  port: () => number | undefined;
  /** Where the rate-limit counters are kept, and whether the team's Redis answers (GET /api/counters). */
  counterBackend: () => CounterBackend;
}

export function createControlHandlers(ctx: ControlContext): ControlHandlers {
  const serverView = (name: string, config: ServerConfig): ServerView => {
    const status = ctx.upstreamStatus().find((s) => s.name === name);
    return {
      name,
      config: maskServerConfig(config),
      ...(status ? { status: maskStatus(status, { [name]: config }) } : {}),
    };
  };
  const quotaOf = (
    limits: readonly { counter: string; windowMs: number; max: number; scope: string; windowText: string }[],
  ) =>
    limits.map((limit) => {
      const grants = limit.scope === 'grant' ? readGrants(ctx.paths.grants).map((g) => g.name) : [''];
      const used = Math.max(
        0,
        ...grants.map((grant) =>
          ctx.counters.countInWindow(
            counterKey(limit as Parameters<typeof counterKey>[0], { grant, session: '' }),
            limit.windowMs,
            ctx.clock(),
          ),
        ),
      );
      return {
        counter: limit.counter,
        max: limit.max,
        window: limit.windowText,
        remaining: Math.max(0, limit.max - used),
        scope: limit.scope,
      };
    });

  return {
    login: ({ code }) => {
      const token = ctx.exchangeLoginCode(code);
      if (!token)
        throw new ApiError(
          401,
          'this login code is unknown, used or expired: run "gatehouse dashboard" for a new one',
        );
      return { token };
    },
    logout: (_input, caller) => {
      if (caller.token === undefined || !ctx.endLogin(caller.token)) {
        throw new ApiError(
          400,
          'only a dashboard session can sign out: the admin token of runtime.json stays valid while the gateway runs',
        );
      }
      return { ok: true as const };
    },
    createLoginUrl: () => ({ url: ctx.newLoginUrl() }),

    listApprovals: () => ({ approvals: ctx.approvals.list() }),
    answerApproval: ({ id, ...answer }) => {
      // "Always allow" writes policy.json, which the team's policy overrides: refused, and the call stays waiting.
      if (answer.remember === 'always' || answer.remember === 'always-all-clients')
        refuseTeamPolicyWrite(ctx.policySource());
      const result = ctx.approvals.answer(id, answer, theUser(answer.via ?? 'api'));
      if (!result.ok) throw new ApiError(result.status, result.message);
      return { ok: true as const };
    },

    listCalls: (query) => queryCalls(ctx.paths.logs, query, { indexes: ctx.logIndexes }),

    ...policyHandlers({ ...ctx, policyFile: ctx.paths.policy }),
    ...policyAdviceHandlers(ctx),
    ...pinHandlers(ctx),
    ...logHandlers(ctx),
    ...connectHandlers(ctx),
    ...healthHandlers(ctx),

    testArgument: ({ server, name, rule, value }) => {
      let violation: string | undefined;
      try {
        violation = ctx.testArgument(server, name, rule, value);
      } catch (err) {
        throw new ApiError(400, `the rule cannot be used: ${(err as Error).message}`, [
          { path: 'rule', message: (err as Error).message },
        ]);
      }
      return violation === undefined ? { ok: true } : { ok: false, violation };
    },

    listTools: () => {
      const { compiled } = ctx.policy();
      const trusted = new Set(ctx.settings().trustedServers);
      const tools: ToolInfo[] = [];
      for (const entry of ctx.names().entries()) {
        const selection = selectRule(compiled, '', entry.server, entry.tool);
        tools.push({
          server: entry.server,
          tool: entry.tool,
          exposedName: entry.exposedName,
          ...(entry.definition.description !== undefined
            ? { description: entry.definition.description }
            : {}),
          ...argumentNamesOf(entry.definition.inputSchema),
          rule: selection.rule,
          action: selection.action,
          risk: classifyTool(entry.definition, { trusted: trusted.has(entry.server) }),
          quota: quotaOf(selection.compiled?.limits ?? []),
          ...(ctx.pinOf(entry.server, entry.tool) ? { pin: ctx.pinOf(entry.server, entry.tool) } : {}),
        });
      }
      return { tools };
    },

    listServers: () => {
      const file = loadServers(ctx.paths);
      return { servers: Object.entries(file.mcpServers).map(([name, config]) => serverView(name, config)) };
    },
    getServer: ({ name }) => {
      const config = serverConfig(loadServers(ctx.paths), name);
      if (!config) throw new ApiError(404, `no server named "${name}"`);
      return serverView(name, config);
    },
    addServer: ({ name, config }) => {
      servers(() => saveServer(ctx.paths, name, config, false));
      ctx.reloadServers();
      return serverView(name, config);
    },
    putServer: ({ name, config: submitted }) => {
      // The dashboard sends back what it was shown: its masks stand for the stored secrets (unmask.ts).
      const unmasked = unmaskServerConfig(submitted, serverConfig(loadServers(ctx.paths), name));
      if ('refused' in unmasked) throw new ApiError(400, unmasked.refused);
      servers(() => saveServer(ctx.paths, name, unmasked.config, true));
      ctx.reloadServers();
      return serverView(name, unmasked.config);
    },
    deleteServer: ({ name }) => {
      servers(() => removeServer(ctx.paths, name));
      ctx.reloadServers();
      return { ok: true as const };
    },
    restartServer: async ({ name }) => {
      if (!ctx.upstreamStatus().some((s) => s.name === name))
        throw new ApiError(404, `no server named "${name}"`);
      await ctx.restartUpstream(name);
      return { ok: true as const };
    },

    listGrants: () => ({
      grants: readGrants(ctx.paths.grants).map((g: GrantEntry) => ({
        name: g.name,
        created: g.created,
        sessions: ctx.sessionsOf(g.name),
      })),
    }),
    addGrant: ({ name }) => {
      try {
        const { token } = addGrant(ctx.paths.grants, name);
        ctx.reloadGrants();
        return { name, token };
      } catch (err) {
        throw new ApiError(/already exists/.test((err as Error).message) ? 409 : 400, (err as Error).message);
      }
    },
    revokeGrant: async ({ name }) => {
      if (!revokeGrant(ctx.paths.grants, name)) throw new ApiError(404, `no grant named "${name}"`);
      // In force before the answer: the revoked token opens no new session, whatever the file watcher's timing.
      ctx.reloadGrants();
      await ctx.closeGrant(name);
      return { ok: true as const };
    },

    getCounters: () => ctx.counterBackend(),
    getPause: () => ({ paused: ctx.isPaused(), mode: ctx.settings().pauseMode }),
    setPause: ({ paused }) => {
      ctx.setPaused(paused);
      return { paused: ctx.isPaused(), mode: ctx.settings().pauseMode };
    },

    getSettings: () => maskSettings(ctx.settings()),
    putSettings: (submitted) => {
      const text = readTextIfExists(ctx.paths.settings);
      const current =
        text && text.trim() ? (parseJsonFile(ctx.paths.settings, text) as Record<string, unknown>) : {};
      const unmasked = unmaskSettingsPatch(submitted, current.otlp, current.counters, current.policySource);
      if ('refused' in unmasked) throw new ApiError(400, unmasked.refused);
      const changes = unmasked.patch;
      const next = SettingsSchema.safeParse({ ...current, ...changes });
      if (!next.success) {
        throw new ApiError(
          400,
          'invalid settings',
          next.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      writeFileAtomic(ctx.paths.settings, `${JSON.stringify({ ...current, ...changes }, null, 2)}\n`, 0o600);
      ctx.reloadSettings();
      return maskSettings(ctx.settings());
    },
  };
}

/** The Connect view's operations; in team mode a connect that would also write the starting policy is refused. */
function connectHandlers(ctx: ControlContext): ReturnType<typeof clientsHandlers> {
  const handlers = clientsHandlers(ctx);
  return {
    ...handlers,
    connectClient: (input, caller) => {
      if (input.startingPolicy === true) refuseTeamPolicyWrite(ctx.policySource());
      return handlers.connectClient(input, caller);
    },
  };
}

/** The most argument names offered for one tool: a hostile schema cannot make the catalog huge. */
const MAX_ARGUMENT_NAMES = 200;

/** The property names of a tool's input schema, if it lists any. */
function argumentNamesOf(schema: { properties?: unknown } | undefined): { argumentNames?: string[] } {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return {};
  const names = Object.keys(properties).slice(0, MAX_ARGUMENT_NAMES);
  return names.length > 0 ? { argumentNames: names } : {};
}

/** A servers.json edit, its refusal as the API's answer. */
function servers(edit: () => void): void {
  try {
    edit();
  } catch (err) {
    if (err instanceof ServersFileError) throw new ApiError(err.status, err.message);
    throw err;
  }
}
