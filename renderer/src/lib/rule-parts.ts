// A tool's own rule (`servers.<server>.tools.<tool>`), edited one part at a time by the Tools view's rule editors:
// its `limits`, one argument's rule under `args`, or `monitor` (watch the rule without enforcing it). Pure: the policy as last read in, the PATCH edits out.
import { ruleAt, toolRulePath, type Action, type PathEdit } from './policy-edits';

/** Where in the tool's rule an editor writes: the whole `limits` list, the rule of one argument, or `monitor`. */
export type RulePart = readonly ['limits'] | readonly ['monitor'] | readonly ['args', string];

const RULE_PARTS = ['action', 'limits', 'args'] as const;

/**
 * Setting (or, with null, removing) one part of a tool's own rule. A new rule keeps the tool's current action, since
 * a rule without `action` would allow it. A removal rewrites the rule without the part (a removed first key would
 * otherwise leave its neighbour on the brace's line); removing the last of `action`, `limits`, `args` writes
 * `"action": "allow"`, the meaning the rule had, as a rule must keep one of them.
 */
export function rulePartEdit(
  policy: unknown,
  server: string,
  tool: string,
  current: Action,
  part: RulePart,
  value: unknown,
): PathEdit {
  const path = toolRulePath(server, tool);
  const rule = ruleAt(policy, path);
  if (value !== null) {
    if (rule) return { path: [...path, ...part], value };
    const inner = part[0] === 'args' ? { [part[1]]: value } : value;
    return { path, value: { action: current, [part[0]]: inner } };
  }
  if (!rule || !Object.hasOwn(rule, part[0])) return { path: [...path, ...part], value: null };
  const next: Record<string, unknown> = { ...rule };
  const args = { ...ruleAt(rule, ['args']) };
  if (part[0] === 'args') delete args[part[1]];
  if (part[0] !== 'args' || Object.keys(args).length === 0) delete next[part[0]];
  else next.args = args;
  if (!RULE_PARTS.some((key) => next[key] !== undefined)) next.action = 'allow';
  return { path, value: next };
}

export interface CounterUse {
  window: unknown;
  max: unknown;
  scope: unknown;
}

/** Every counter a rule of the policy names (base and grant overlays), with how its first rule describes it. */
export function countersOf(policy: unknown): Map<string, CounterUse> {
  const out = new Map<string, CounterUse>();
  const visit = (tools: Record<string, unknown> | undefined) => {
    for (const key of Object.keys(tools ?? {})) {
      const limits = ruleAt(tools, [key])?.limits;
      if (!Array.isArray(limits)) continue;
      for (const limit of limits as unknown[]) {
        const { counter, window, max, scope } = (limit ?? {}) as Record<string, unknown>;
        if (typeof counter === 'string' && !out.has(counter))
          out.set(counter, { window, max, scope: scope ?? 'global' });
      }
    }
  };
  const visitServers = (servers: Record<string, unknown> | undefined) => {
    for (const server of Object.keys(servers ?? {})) visit(ruleAt(servers, [server, 'tools']));
  };
  visit(ruleAt(policy, ['tools']));
  visitServers(ruleAt(policy, ['servers']));
  const grants = ruleAt(policy, ['grants']);
  for (const grant of Object.keys(grants ?? {})) {
    visit(ruleAt(grants, [grant, 'tools']));
    visitServers(ruleAt(grants, [grant, 'servers']));
  }
  return out;
}

/**
 * The action of the tool's own rule when that rule is watched only (`"monitor": true`: recorded, not enforced), else
 * undefined. A rule without `action` allows.
 */
export function watchedAction(policy: unknown, server: string, tool: string): Action | undefined {
  const rule = ruleAt(policy, toolRulePath(server, tool));
  if (rule?.monitor !== true) return undefined;
  return rule.action === 'deny' || rule.action === 'approve' ? rule.action : 'allow';
}

/** A counter name for a new limit of this tool that no rule uses yet: `<server>_<tool>`, else with `_2`, `_3`… */
export function freshCounterName(
  counters: ReadonlyMap<string, unknown>,
  server: string,
  tool: string,
): string {
  const base = `${server}_${tool}`;
  if (!counters.has(base)) return base;
  let n = 2;
  while (counters.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}
