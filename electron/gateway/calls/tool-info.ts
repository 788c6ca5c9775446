// What the gateway tells about a tool: the rule that decides it as written in policy.json, its description and risk
// for the approval card, and the longest limit window (how far back the counters are rebuilt).
import type { Rule } from '../../../shared/policy.js';
import type { Risk } from '../../../shared/api/approvals.js';
import type { NameTable } from '../names/name-table.js';
import { selectRule } from '../policy/select.js';
import { classifyTool } from '../risk/classify.js';
import type { PolicyInForce } from '../policy/holder.js';

/** The rule deciding (server, tool) for a grant, as written in the file (no defaults filled in): "always allow" copies it. */
export function decidingRule(
  policy: PolicyInForce,
  grant: string,
  server: string,
  tool: string,
): Rule | undefined {
  const selection = selectRule(policy.compiled, grant, server, tool);
  if (!selection.compiled) return undefined;
  let node: unknown = JSON.parse(policy.text);
  for (const key of selection.compiled.path) node = (node as Record<string, unknown> | undefined)?.[key];
  return node as Rule | undefined;
}

/** A tool's description and risk for the approval card; `trusted`: its server is in trustedServers (its hints count). */
export function describeTool(
  names: NameTable,
  server: string,
  tool: string,
  trusted: boolean,
): { description?: string; risk: Risk } {
  const entry = [...names.entries()].find((e) => e.server === server && e.tool === tool);
  const description = entry?.definition.description;
  return {
    ...(description !== undefined ? { description } : {}),
    risk: classifyTool(entry?.definition ?? { name: tool }, { trusted }),
  };
}

export function longestWindowMs(policy: PolicyInForce): number {
  let longest = 86_400_000;
  for (const rule of policy.compiled.rules) {
    for (const limit of rule.limits) longest = Math.max(longest, limit.windowMs);
  }
  return longest;
}
