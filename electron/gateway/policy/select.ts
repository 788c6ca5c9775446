// Which rule decides a (grant, server, tool): DESIGN.md §4 "Which rule decides", steps 1–3.
import type { CompiledPolicy, CompiledRule, CompiledSection, Selection } from './compile.js';
import { matchesPattern } from './glob.js';
import type { Action } from './types.js';

const STRICTNESS: Record<Action, number> = { allow: 0, approve: 1, deny: 2 };

/**
 * Whether `a` is more specific than `b`: grant overlay over base, `servers.S.tools` over `tools`,
 * exact key over glob, more literal characters, then the stricter action; file order settles the rest.
 */
export function moreSpecific(a: CompiledRule, b: CompiledRule): boolean {
  if (a.section !== b.section) return a.section > b.section;
  if (a.pattern.exact !== b.pattern.exact) return a.pattern.exact;
  if (a.pattern.literals !== b.pattern.literals) return a.pattern.literals > b.pattern.literals;
  if (a.action !== b.action) return STRICTNESS[a.action] > STRICTNESS[b.action];
  return a.order < b.order;
}

/** The sections that apply to a call, most specific first. */
function sectionsFor(compiled: CompiledPolicy, grant: string, server: string): CompiledSection[] {
  const overlay = compiled.grants.get(grant);
  const sections: CompiledSection[] = [];
  const grantServerTools = overlay?.servers.get(server)?.tools;
  if (grantServerTools) sections.push(grantServerTools);
  if (overlay?.tools) sections.push(overlay.tools);
  const serverTools = compiled.servers.get(server)?.tools;
  if (serverTools) sections.push(serverTools);
  if (compiled.tools) sections.push(compiled.tools);
  return sections;
}

/** Step 3: the first default present in the chain; absent everywhere → deny. */
export function defaultFor(compiled: CompiledPolicy, grant: string, server: string): Selection {
  const overlay = compiled.grants.get(grant);
  const grantServer = overlay?.servers.get(server);
  if (grantServer?.default !== undefined)
    return { action: grantServer.default, rule: `${grantServer.path}.default` };
  if (overlay?.default !== undefined) return { action: overlay.default, rule: `${overlay.path}.default` };
  const block = compiled.servers.get(server);
  if (block?.default !== undefined) return { action: block.default, rule: `${block.path}.default` };
  return { action: compiled.default ?? 'deny', rule: 'default' };
}

function computeSelection(
  compiled: CompiledPolicy,
  grant: string,
  server: string,
  tool: string,
  withMonitored: boolean,
): Selection {
  let best: CompiledRule | undefined;
  let bestDeny: CompiledRule | undefined;
  const consider = (rule: CompiledRule) => {
    if (rule.monitor && !withMonitored) return;
    if (rule.action === 'deny') {
      if (bestDeny === undefined || moreSpecific(rule, bestDeny)) bestDeny = rule;
    } else if (best === undefined || moreSpecific(rule, best)) {
      best = rule;
    }
  };
  for (const section of sectionsFor(compiled, grant, server)) {
    const exact = section.exact.get(tool);
    if (exact) consider(exact);
    for (const glob of section.globs) if (matchesPattern(glob.pattern, tool)) consider(glob);
  }
  // Step 1: an explicit deny anywhere wins, whatever overlay allows it.
  const decider = bestDeny ?? best;
  if (decider) return { action: decider.action, rule: decider.rule, compiled: decider };
  return defaultFor(compiled, grant, server);
}

/**
 * The enforced selection: monitored rules take no part in it (adding one never changes what happens to a call). When
 * a monitored rule would decide were it enforced, `monitored` is that selection. Memoized per (grant, server, tool);
 * the key is length-prefixed so no two triples can share it.
 */
export function selectRule(compiled: CompiledPolicy, grant: string, server: string, tool: string): Selection {
  const key = `${grant.length}:${grant}${server.length}:${server}${tool}`;
  const cached = compiled.memo.get(key);
  if (cached) return cached;
  let selection = computeSelection(compiled, grant, server, tool, false);
  if (compiled.monitors) {
    const watched = computeSelection(compiled, grant, server, tool, true);
    if (watched.compiled?.monitor === true) selection = { ...selection, monitored: watched };
  }
  if (compiled.memo.size >= compiled.memoLimit) compiled.memo.clear();
  compiled.memo.set(key, selection);
  return selection;
}
