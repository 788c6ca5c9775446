// The policy turned into lookup tables once per load, so that each decision only reads them.
// Rule selection per (grant, server, tool) is memoized here: tool names are a finite set.
import { formatPolicyPath } from '../../../shared/policy.js';
import type {
  Limit,
  Policy,
  PolicyAction,
  Rule,
  ServerCapability,
  ServerPolicy,
} from '../../../shared/policy.js';
import { nodePathSystem, type PathSystem } from '../paths/system.js';
import { compileArgRules, type CompiledArgRule } from './args.js';
import { compilePattern, type ToolPattern } from './glob.js';
import type { Action } from './types.js';
import { plural } from '../text/plural.js';

/** Sections in DESIGN.md §4 order of precedence: a higher rank wins. */
const SECTION_RANK = { tools: 0, serverTools: 1, grantTools: 2, grantServerTools: 3 } as const;
type SectionRank = (typeof SECTION_RANK)[keyof typeof SECTION_RANK];

const WINDOW_MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export interface CompiledLimit {
  counter: string;
  windowMs: number;
  max: number;
  scope: Limit['scope'];
  /** `minute`, or `30 seconds`: the words of the rate-limit reason. */
  windowText: string;
}

export interface CompiledRule {
  /** Where the rule lives, e.g. `servers.komodo.tools["list_*"]`. */
  rule: string;
  /** The section path, e.g. `servers.komodo.tools`. */
  sectionPath: string;
  /** The JSON path of the rule, e.g. `['servers', 'komodo', 'tools', 'list_*']`. */
  path: readonly string[];
  /** The calls the rule's section applies to: absent grant or server = any. */
  appliesTo: { grant?: string; server?: string };
  section: SectionRank;
  /** Position in the file (0-based over all rules): breaks the last ties so decisions never depend on luck. */
  order: number;
  pattern: ToolPattern;
  action: Action;
  reason?: string;
  args: CompiledArgRule[];
  limits: CompiledLimit[];
  /** `"monitor": true`: the rule is watched, not enforced (select.ts keeps it apart). */
  monitor: boolean;
}

export interface CompiledSection {
  rank: SectionRank;
  path: string;
  exact: ReadonlyMap<string, CompiledRule>;
  globs: readonly CompiledRule[];
  rules: readonly CompiledRule[];
}

interface CompiledServerBlock {
  path: string;
  default?: Action;
  tools?: CompiledSection;
  capabilities: Partial<Record<ServerCapability, Action>>;
}

interface CompiledGrant {
  path: string;
  default?: Action;
  tools?: CompiledSection;
  servers: ReadonlyMap<string, CompiledServerBlock>;
}

/** What decided for one (grant, server, tool): a rule, or a default of the chain. */
export interface Selection {
  action: Action;
  rule: string;
  /** Absent when a default decided. */
  compiled?: CompiledRule;
  /** A monitored rule that would decide were it enforced (its own selection); the rest of the policy decides. */
  monitored?: Selection;
}

export interface CompiledPolicy {
  policy: Policy;
  default?: Action;
  tools?: CompiledSection;
  servers: ReadonlyMap<string, CompiledServerBlock>;
  grants: ReadonlyMap<string, CompiledGrant>;
  /** Every rule of every section, in file order. */
  rules: readonly CompiledRule[];
  /** Some rule has `"monitor": true`. */
  monitors: boolean;
  /** Selection cache; cleared when it reaches `memoLimit` entries. */
  memo: Map<string, Selection>;
  memoLimit: number;
}

const MEMO_LIMIT = 10_000;

function compileLimit(limit: Limit): CompiledLimit {
  const { window } = limit;
  const windowMs = typeof window === 'string' ? WINDOW_MS[window] : window.seconds * 1000;
  const windowText = typeof window === 'string' ? window : plural(window.seconds, 'second');
  return { counter: limit.counter, windowMs, max: limit.max, scope: limit.scope, windowText };
}

/**
 * Throws when a pattern is not valid RE2; parsePolicyText reports those with their paths first. `system` makes the
 * folders of path rules canonical (the one file-system access of a load besides reading the file).
 */
export function compilePolicy(policy: Policy, system: PathSystem = nodePathSystem()): CompiledPolicy {
  const rules: CompiledRule[] = [];
  const section = (
    tools: Record<string, Rule> | undefined,
    path: readonly string[],
    rank: SectionRank,
    appliesTo: { grant?: string; server?: string },
  ): CompiledSection | undefined => {
    if (tools === undefined) return undefined;
    const sectionPath = formatPolicyPath(path);
    const exact = new Map<string, CompiledRule>();
    const globs: CompiledRule[] = [];
    const own: CompiledRule[] = [];
    for (const [key, rule] of Object.entries(tools)) {
      const compiled: CompiledRule = {
        rule: `${sectionPath}[${JSON.stringify(key)}]`,
        sectionPath,
        path: [...path, key],
        appliesTo,
        section: rank,
        order: rules.length,
        pattern: compilePattern(key),
        action: rule.action ?? 'allow',
        ...(rule.reason === undefined ? {} : { reason: rule.reason }),
        args: compileArgRules(rule.args, system),
        limits: (rule.limits ?? []).map(compileLimit),
        monitor: rule.monitor === true,
      };
      rules.push(compiled);
      own.push(compiled);
      if (compiled.pattern.exact) exact.set(key, compiled);
      else globs.push(compiled);
    }
    return { rank, path: sectionPath, exact, globs, rules: own };
  };
  const serverBlock = (
    block: ServerPolicy,
    path: readonly string[],
    rank: SectionRank,
    appliesTo: { grant?: string; server?: string },
  ): CompiledServerBlock => {
    const capabilities: Partial<Record<ServerCapability, Action>> = {};
    for (const capability of ['resources', 'prompts', 'completion', 'sampling', 'elicitation'] as const) {
      const action: PolicyAction | undefined = block[capability];
      if (action !== undefined) capabilities[capability] = action;
    }
    const tools = section(block.tools, [...path, 'tools'], rank, appliesTo);
    return {
      path: formatPolicyPath(path),
      ...(block.default === undefined ? {} : { default: block.default }),
      ...(tools === undefined ? {} : { tools }),
      capabilities,
    };
  };

  const tools = section(policy.tools, ['tools'], SECTION_RANK.tools, {});
  const servers = new Map<string, CompiledServerBlock>();
  for (const [name, block] of Object.entries(policy.servers ?? {})) {
    servers.set(name, serverBlock(block, ['servers', name], SECTION_RANK.serverTools, { server: name }));
  }
  const grants = new Map<string, CompiledGrant>();
  for (const [name, overlay] of Object.entries(policy.grants ?? {})) {
    const grantServers = new Map<string, CompiledServerBlock>();
    const grantTools = section(overlay.tools, ['grants', name, 'tools'], SECTION_RANK.grantTools, {
      grant: name,
    });
    for (const [server, block] of Object.entries(overlay.servers ?? {})) {
      grantServers.set(
        server,
        serverBlock(block, ['grants', name, 'servers', server], SECTION_RANK.grantServerTools, {
          grant: name,
          server,
        }),
      );
    }
    grants.set(name, {
      path: formatPolicyPath(['grants', name]),
      ...(overlay.default === undefined ? {} : { default: overlay.default }),
      ...(grantTools === undefined ? {} : { tools: grantTools }),
      servers: grantServers,
    });
  }
  return {
    policy,
    ...(policy.default === undefined ? {} : { default: policy.default }),
    ...(tools === undefined ? {} : { tools }),
    servers,
    grants,
    rules,
    monitors: rules.some((r) => r.monitor),
    memo: new Map(),
    memoLimit: MEMO_LIMIT,
  };
}
