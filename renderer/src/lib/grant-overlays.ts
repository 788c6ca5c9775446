// The clients' own rules for one tool: every rule of a grant overlay whose key matches it (DESIGN.md §4: overlay
// rules decide over the base for that client's calls), and the action of each client's exact rule. Pure.
import { formatPolicyPath } from '../../../shared/policy';
import { keyMatches, ruleAt, toolRulePath, type Action } from './policy-edits';

export interface OverlayRule {
  grant: string;
  /** Its path in the API's words, e.g. `grants.cursor.tools["execute_*"]`. */
  where: string;
  /** A rule without `action` allows. */
  action: Action;
}

function actionOf(rule: Record<string, unknown>): Action {
  const { action } = rule;
  return action === 'deny' || action === 'approve' ? action : 'allow';
}

/** Every overlay rule that matches the tool: each grant's `servers.<server>.tools`, then its `tools`. */
export function overlayRulesOf(policy: unknown, server: string, tool: string): OverlayRule[] {
  const out: OverlayRule[] = [];
  const grants = ruleAt(policy, ['grants']);
  for (const grant of Object.keys(grants ?? {})) {
    for (const base of [
      ['grants', grant, 'servers', server, 'tools'],
      ['grants', grant, 'tools'],
    ]) {
      const tools = ruleAt(policy, base);
      for (const key of Object.keys(tools ?? {})) {
        const rule = ruleAt(tools, [key]);
        if (rule && keyMatches(key, tool))
          out.push({ grant, where: formatPolicyPath([...base, key]), action: actionOf(rule) });
      }
    }
  }
  return out;
}

/** The action of one client's own exact rule for the tool (`grants.<grant>.servers.<server>.tools.<tool>`). */
export function grantActionOf(
  policy: unknown,
  server: string,
  tool: string,
  grant: string,
): Action | undefined {
  const rule = ruleAt(policy, toolRulePath(server, tool, grant));
  return rule ? actionOf(rule) : undefined;
}
