// What a rule action in a call's details becomes in policy.json: "Always allow this", "Ask next time" or "Deny this
// tool", for the call's own client (its grant overlay) or for every client — the one exact edit, what to say once it
// is written, and whether a deny elsewhere still wins over it (DESIGN.md §4: an explicit deny anywhere wins). Pure.
import { formatPolicyPath } from '../../../shared/policy';
import {
  denyRulesOf,
  keyMatches,
  ruleAt,
  toolActionEdit,
  toolRulePath,
  type Action,
  type PathEdit,
} from './policy-edits';

/** For whom the rule is written: the call's client (its grant) or all clients. */
export type RuleScope = 'client' | 'all';

/** The call a rule is made from: which client called which tool of which server. */
export interface CallTarget {
  grant: string;
  server: string;
  tool: string;
}

export const CALL_RULE_ACTIONS: readonly { action: Action; button: string; word: string }[] = [
  { action: 'allow', button: 'Always allow this', word: 'Allow' },
  { action: 'approve', button: 'Ask next time', word: 'Ask' },
  { action: 'deny', button: 'Deny this tool', word: 'Deny' },
];

/** The scopes a call offers: a call without a grant (made with the admin token) has no client overlay to write. */
export function scopesOf(call: CallTarget): RuleScope[] {
  return call.grant ? ['client', 'all'] : ['all'];
}

const grantOf = (call: CallTarget, scope: RuleScope) =>
  scope === 'client' && call.grant ? call.grant : undefined;

/** Where the rule is written: `grants.<grant>.servers.<server>.tools.<tool>` or `servers.<server>.tools.<tool>`. */
export function callRulePath(call: CallTarget, scope: RuleScope): string[] {
  return toolRulePath(call.server, call.tool, grantOf(call, scope));
}

/** The one path to set: only `action` of an existing exact rule (its args and limits kept), else `{action}`. */
export function callRuleEdit(policy: unknown, call: CallTarget, action: Action, scope: RuleScope): PathEdit {
  return toolActionEdit(policy, call.server, call.tool, action, grantOf(call, scope));
}

/** What was written, in the user's words: "Deny for cursor written to policy.json at grants.cursor.servers.…". */
export function callRuleLabel(call: CallTarget, action: Action, scope: RuleScope): string {
  const word = CALL_RULE_ACTIONS.find((a) => a.action === action)?.word ?? action;
  const who = grantOf(call, scope) ?? 'all clients';
  return `${word} for ${who} written to policy.json at ${formatPolicyPath(callRulePath(call, scope))}`;
}

const samePath = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((key, i) => key === b[i]);

/**
 * The deny rule, other than the rule the choice writes, that still denies calls like this one (this client, this
 * server, this tool) — so Allow or Ask written there would not take effect. The call's grant overlay counts too: it
 * applies to this client whichever scope is chosen. Its path in the API's words.
 */
export function denyStillWinning(policy: unknown, call: CallTarget, scope: RuleScope): string | undefined {
  const target = callRulePath(call, scope);
  const overlay = call.grant
    ? denyRulesOf(ruleAt(policy, ['grants', call.grant])).map((deny) => ({
        ...deny,
        path: ['grants', call.grant, ...deny.path],
      }))
    : [];
  for (const deny of [...overlay, ...denyRulesOf(policy)]) {
    if (deny.server !== undefined && deny.server !== call.server) continue;
    if (!keyMatches(deny.key, call.tool) || samePath(deny.path, target)) continue;
    return formatPolicyPath(deny.path);
  }
  return undefined;
}
