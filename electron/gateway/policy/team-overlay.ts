// Team mode's policy in force (DESIGN.md §9, README "One policy for the team"): the team's policy as fetched, and of
// the local policy.json only what can never loosen it — its deny rules, and only where the team allows a local overlay.
import type { Policy, Rule, ServerCapability, ServerPolicy } from '../../../shared/policy.js';
import { policyVersion, type PolicyInForce } from './holder.js';
import { formatPolicyError, parsePolicyText } from './load.js';

/** The key a team policy sets to `true` to let each gateway's own policy.json add deny rules to it. */
const OVERLAY_KEY = 'x-allowLocalOverlay';

/** A team policy that passed the very checks policy.json passes. */
export interface TeamPolicy extends PolicyInForce {
  policy: Policy;
}

/** What team mode enforces: the team's policy, or — while none has arrived — nothing at all, for this reason. */
export type TeamPolicyInput = { team: TeamPolicy } | { waiting: string };

export function allowsLocalOverlay(policy: Policy): boolean {
  return (policy as Record<string, unknown>)[OVERLAY_KEY] === true;
}

/** A team policy's text parsed and checked like policy.json; its problems named with `label` (the URL, shown). */
export function parseTeamPolicy(
  text: string,
  label: string,
): { ok: true; team: TeamPolicy } | { ok: false; problems: string[] } {
  const parsed = parsePolicyText(text, label);
  if (!parsed.ok) return { ok: false, problems: parsed.errors.map((e) => formatPolicyError(e, label)) };
  return {
    ok: true,
    team: { policy: parsed.policy, compiled: parsed.compiled, text, version: policyVersion(text) },
  };
}

/** Sets a key as data, so a key named `__proto__` stays a key. */
function put<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;

const enforcedDeny = (rule: Rule | undefined) => rule?.action === 'deny' && rule.monitor !== true;

interface Count {
  added: number;
  ignored: number;
}

/**
 * The team's rules with each local deny rule added. A local deny replaces a team rule under the same key (it matches
 * the same calls, and a deny wins anyway); only `action` and `reason` are kept, so nothing else of the local rule —
 * a monitor flag, limits — can stand in for the team's rule. Any other local rule is ignored.
 */
function withDenies(
  team: Record<string, Rule> | undefined,
  local: Record<string, Rule> | undefined,
  count: Count,
): Record<string, Rule> | undefined {
  const out: Record<string, Rule> = { ...team };
  for (const [key, rule] of Object.entries(local ?? {})) {
    if (!enforcedDeny(rule)) count.ignored += 1;
    else if (!enforcedDeny(own(team, key))) {
      put(out, key, rule.reason === undefined ? { action: 'deny' } : { action: 'deny', reason: rule.reason });
      count.added += 1;
    }
  }
  return Object.keys(out).length > 0 ? out : team;
}

const CAPABILITIES: readonly ServerCapability[] = [
  'resources',
  'prompts',
  'completion',
  'sampling',
  'elicitation',
];

function serverWithDenies(team: ServerPolicy | undefined, local: ServerPolicy, count: Count): ServerPolicy {
  const out: ServerPolicy = { ...team };
  const tools = withDenies(team?.tools, local.tools, count);
  if (tools) out.tools = tools;
  for (const capability of CAPABILITIES) {
    if (local[capability] === 'deny' && team?.[capability] !== 'deny') {
      out[capability] = 'deny';
      count.added += 1;
    }
  }
  return out;
}

function serversWithDenies(
  team: Record<string, ServerPolicy> | undefined,
  local: Record<string, ServerPolicy> | undefined,
  count: Count,
): Record<string, ServerPolicy> | undefined {
  if (!local) return team;
  const out: Record<string, ServerPolicy> = { ...team };
  for (const [name, block] of Object.entries(local))
    put(out, name, serverWithDenies(own(team, name), block, count));
  return out;
}

/** The team's policy with the local policy's deny rules added (tools, servers, grant overlays). */
function withLocalDenies(team: Policy, local: Policy): { policy: Policy } & Count {
  const count: Count = { added: 0, ignored: 0 };
  const policy: Policy = { ...team };
  const tools = withDenies(team.tools, local.tools, count);
  if (tools) policy.tools = tools;
  const servers = serversWithDenies(team.servers, local.servers, count);
  if (servers) policy.servers = servers;
  if (local.grants) {
    const grants = { ...team.grants };
    for (const [name, overlay] of Object.entries(local.grants)) {
      const teamOverlay = own(team.grants, name);
      const merged = { ...teamOverlay };
      const grantTools = withDenies(teamOverlay?.tools, overlay.tools, count);
      if (grantTools) merged.tools = grantTools;
      const grantServers = serversWithDenies(teamOverlay?.servers, overlay.servers, count);
      if (grantServers) merged.servers = grantServers;
      put(grants, name, merged);
    }
    policy.grants = grants;
  }
  return { policy, ...count };
}

function inForceOf(policy: object): PolicyInForce {
  const text = `${JSON.stringify(policy, null, 2)}\n`;
  const parsed = parsePolicyText(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => formatPolicyError(e)).join('; '));
  return { compiled: parsed.compiled, text, version: policyVersion(text) };
}

/** The policy that denies everything, saying why: team mode before any team policy has arrived (fail closed). */
const waitingPolicy = (reason: string) =>
  inForceOf({ version: '1', default: 'deny', tools: { '*': { action: 'deny', reason } } });

/** A local policy with no rules: what an invalid policy.json adds in team mode until it is mended — nothing. */
export const noLocalRules = (): PolicyInForce => inForceOf({ version: '1', default: 'deny' });

export interface TeamPolicyInForce {
  inForce: PolicyInForce;
  /** Deny rules of the local policy.json added to the team's. */
  localDenies: number;
  /** Rules of the local policy.json left out: the team allows no overlay, or they are not deny rules. */
  localIgnored: number;
}

/** What team mode enforces, given the local policy.json's text as last read (valid). */
export function teamPolicyInForce(input: TeamPolicyInput, localText: string): TeamPolicyInForce {
  if ('waiting' in input) return { inForce: waitingPolicy(input.waiting), localDenies: 0, localIgnored: 0 };
  const { team } = input;
  const local = parsePolicyText(localText);
  const localRules = local.ok ? countRules(local.policy) : 0;
  if (!local.ok || !allowsLocalOverlay(team.policy))
    return { inForce: team, localDenies: 0, localIgnored: localRules };
  const merged = withLocalDenies(team.policy, local.policy);
  if (merged.added === 0) return { inForce: team, localDenies: 0, localIgnored: merged.ignored };
  const text = `${JSON.stringify(merged.policy, null, 2)}\n`;
  const parsed = parsePolicyText(text);
  // Deny rules added to a valid policy leave it valid; were it not so, the team's own policy is what stays.
  if (!parsed.ok) return { inForce: team, localDenies: 0, localIgnored: localRules };
  return {
    inForce: { compiled: parsed.compiled, text, version: policyVersion(text) },
    localDenies: merged.added,
    localIgnored: merged.ignored,
  };
}

/** How many rules a policy holds (every tools entry, base and grant overlays). */
function countRules(policy: Policy): number {
  const inServers = (servers: Record<string, ServerPolicy> | undefined) =>
    Object.values(servers ?? {}).reduce((sum, block) => sum + Object.keys(block.tools ?? {}).length, 0);
  let count = Object.keys(policy.tools ?? {}).length + inServers(policy.servers);
  for (const overlay of Object.values(policy.grants ?? {}))
    count += Object.keys(overlay.tools ?? {}).length + inServers(overlay.servers);
  return count;
}
