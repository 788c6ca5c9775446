// The control operations that advise on the policy (issue 19): a recommended policy from the tools' risk classes, and
// a draft policy replayed over the call log. Neither writes anything: the dashboard (or the CLI) applies a
// recommendation with patchPolicy and the ETag it was made for.
import type { ServersFile } from '../../../shared/servers.js';
import type { Settings } from '../../../shared/settings.js';
import type { HomePaths } from '../home/paths.js';
import { loadServers } from '../home/index.js';
import type { NameTable } from '../names/name-table.js';
import { policyVersion, type PolicyInForce } from '../policy/holder.js';
import { parsePolicyText } from '../policy/load.js';
import { lineDiff, recommendPolicy, type ClassifiedTool } from '../policy/recommend.js';
import { classifyTool } from '../risk/classify.js';
import { parseSince } from '../simulate/simulate.js';
import { simulateLog } from '../simulate/simulate-log.js';
import { ApiError } from './api-error.js';
import type { ControlHandlers } from './http-adapter.js';

export interface PolicyAdviceContext {
  paths: HomePaths;
  policy: () => PolicyInForce;
  names: () => NameTable;
  settings: () => Settings;
  clock: () => number;
  /** servers.json as read now (folders for path rules); the home's file by default. */
  servers?: () => ServersFile;
}

/** The most changed calls a simulation returns unless asked for more. */
const DEFAULT_CHANGED_LIMIT = 500;

/** Every tool of the catalog with its risk class, trusted servers' annotations taken as they say. */
function classifiedCatalog(names: NameTable, trustedServers: readonly string[]): ClassifiedTool[] {
  const trusted = new Set(trustedServers);
  return [...names.entries()].map((entry) => ({
    server: entry.server,
    tool: entry.tool,
    category: classifyTool(entry.definition, { trusted: trusted.has(entry.server) }).category,
  }));
}

export function policyAdviceHandlers(
  ctx: PolicyAdviceContext,
): Pick<ControlHandlers, 'recommendPolicy' | 'simulatePolicy'> {
  return {
    recommendPolicy: ({ destructive }) => {
      const { text, compiled } = ctx.policy();
      const tools = classifiedCatalog(ctx.names(), ctx.settings().trustedServers);
      const recommendation = recommendPolicy(text, compiled, tools, destructive ? { destructive } : {});
      const diff = lineDiff(text, recommendation.text);
      return {
        ...recommendation,
        ...(diff ? { diff } : {}),
        etag: `"${policyVersion(text)}"`,
      };
    },
    simulatePolicy: ({ text, since, limit }) => {
      const parsed = parsePolicyText(text, 'draft');
      if (!parsed.ok) {
        throw new ApiError(
          400,
          `the draft policy is not valid: ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}`,
          parsed.errors.map((e) => ({
            path: e.path,
            message: e.hint === undefined ? e.message : `${e.message} (hint: ${e.hint})`,
            ...(e.line !== undefined ? { line: e.line } : {}),
            ...(e.column !== undefined ? { column: e.column } : {}),
          })),
        );
      }
      let from: number | undefined;
      try {
        from = since === undefined ? undefined : ctx.clock() - parseSince(since);
      } catch (err) {
        throw new ApiError(400, (err as Error).message, [{ path: 'since', message: (err as Error).message }]);
      }
      const simulation = simulateLog({
        logsDir: ctx.paths.logs,
        servers: (ctx.servers ?? (() => loadServers(ctx.paths)))(),
        draft: parsed.compiled,
        ...(from !== undefined ? { since: from } : {}),
      });
      const max = limit ?? DEFAULT_CHANGED_LIMIT;
      if (simulation.changed.length > max) {
        simulation.notes.push(`${simulation.changed.length} calls change; the first ${max} are listed.`);
        simulation.changed = simulation.changed.slice(0, max);
      }
      return simulation;
    },
  };
}
