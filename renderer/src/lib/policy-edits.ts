// What a click in the Tools view becomes in policy.json: the one JSON path and value sent to PATCH /api/policy, and
// whether the edit can take effect at all under DESIGN.md §4's precedence (an explicit deny anywhere wins). Pure.
import { formatPolicyPath } from '../../../shared/policy';

export type Action = 'allow' | 'approve' | 'deny';

export interface PathEdit {
  path: string[];
  /** The new value; null removes the path. */
  value: unknown;
}

type Json = Record<string, unknown>;

function objectAt(value: unknown, key: string): Json | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (!Object.hasOwn(value, key)) return undefined;
  const next = (value as Json)[key];
  return typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Json) : undefined;
}

/**
 * Where a tool's own rule lives: `servers.<server>.tools.<tool>` for every client, or in one client's overlay
 * `grants.<grant>.servers.<server>.tools.<tool>`.
 */
export function toolRulePath(server: string, tool: string, grant?: string): string[] {
  const base = ['servers', server, 'tools', tool];
  return grant === undefined ? base : ['grants', grant, ...base];
}

/** The object at a JSON path of the policy, when every step is an object. */
export function ruleAt(policy: unknown, path: readonly string[]): Json | undefined {
  let at: Json | undefined = policy as Json | undefined;
  for (const key of path) at = objectAt(at, key);
  return at;
}

/**
 * Setting a tool's action (for every client, or for one grant): only `action` of its exact rule when that rule
 * exists (its args, limits and reason stay), else the whole rule as `{ "action": … }`.
 */
export function toolActionEdit(
  policy: unknown,
  server: string,
  tool: string,
  action: Action,
  grant?: string,
): PathEdit {
  const path = toolRulePath(server, tool, grant);
  return ruleAt(policy, path) ? { path: [...path, 'action'], value: action } : { path, value: { action } };
}

/** Setting a server's default; undefined follows the policy's own default (the key is removed). */
export function serverDefaultEdit(server: string, action: Action | undefined): PathEdit {
  return { path: ['servers', server, 'default'], value: action ?? null };
}

/** The server's own default as the policy states it, if it states one. */
export function serverDefaultOf(policy: unknown, server: string): Action | undefined {
  const value = objectAt(objectAt(policy, 'servers'), server)?.default;
  return value === 'allow' || value === 'approve' || value === 'deny' ? value : undefined;
}

/** Whether a policy key (`*` the only wildcard, any run of characters) matches a tool name. */
export function keyMatches(key: string, tool: string): boolean {
  const parts = key.split('*');
  if (parts.length === 1) return key === tool;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (tool.length < first.length + last.length || !tool.startsWith(first) || !tool.endsWith(last))
    return false;
  let at = first.length;
  const end = tool.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = tool.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

interface DenyRule {
  key: string;
  path: string[];
  server: string | undefined;
}

/** Every enforced base rule of the policy whose action is deny (grant overlays do not apply to the Tools view). */
export function denyRulesOf(policy: unknown): DenyRule[] {
  const out: DenyRule[] = [];
  const collect = (tools: Json | undefined, path: string[], server: string | undefined) => {
    for (const [key, rule] of Object.entries(tools ?? {})) {
      // A watched (monitor) deny is not enforced: it never wins over another rule.
      if (
        typeof rule === 'object' &&
        rule !== null &&
        (rule as Json).action === 'deny' &&
        (rule as Json).monitor !== true
      )
        out.push({ key, path: [...path, key], server });
    }
  };
  // Server sections first: the more specific rule is the one to name.
  for (const server of Object.keys(objectAt(policy, 'servers') ?? {}))
    collect(
      objectAt(objectAt(objectAt(policy, 'servers'), server), 'tools'),
      ['servers', server, 'tools'],
      server,
    );
  collect(objectAt(policy, 'tools'), ['tools'], undefined);
  return out;
}

/**
 * The deny rule, besides the tool's own exact rule under `servers.<server>.tools`, that would still deny the tool
 * whatever that exact rule says — so choosing Allow or Ask there would not take effect. Its path in the API's words.
 */
export function denyElsewhere(denies: readonly DenyRule[], server: string, tool: string): string | undefined {
  for (const deny of denies) {
    if (deny.server !== undefined && deny.server !== server) continue;
    if (deny.server === server && deny.key === tool) continue;
    if (keyMatches(deny.key, tool)) return formatPolicyPath(deny.path);
  }
  return undefined;
}
