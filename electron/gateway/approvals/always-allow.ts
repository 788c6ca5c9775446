// "Always allow": writes an allow rule for the tool into policy.json — for one client by default
// (grants.<grant>.servers.<server>.tools.<tool>), for every client only when asked (servers.<server>.tools.<tool>) —
// keeping the deciding rule's args and limits, and the file's key order, formatting, $schema and x-* keys (jsonc-parser
// edits, not a rewrite).
import fs from 'node:fs';
import type { Rule } from '../../../shared/policy.js';
import { writeFileAtomic } from '../home/files.js';
import { applyPolicyEdits } from '../policy/edit.js';

/** Where the rule goes: the grant's overlay, or the base policy for every client. */
export interface AlwaysAllowTarget {
  server: string;
  tool: string;
  /** The client it is for; absent: every client. */
  grant?: string;
}

/** The new policy text with the allow rule in place. */
function withAlwaysAllow(text: string, target: AlwaysAllowTarget, deciding: Rule | undefined): string {
  const rule: Rule = { action: 'allow' };
  if (deciding?.args) rule.args = deciding.args;
  if (deciding?.limits) rule.limits = deciding.limits;
  const { server, tool, grant } = target;
  const path =
    grant === undefined
      ? ['servers', server, 'tools', tool]
      : ['grants', grant, 'servers', server, 'tools', tool];
  return applyPolicyEdits(text, [{ path, value: rule }]);
}

export function writeAlwaysAllow(
  policyFile: string,
  target: AlwaysAllowTarget,
  deciding: Rule | undefined,
): string {
  const next = withAlwaysAllow(fs.readFileSync(policyFile, 'utf8'), target, deciding);
  writeFileAtomic(policyFile, next, 0o600);
  return next;
}
