// "Always allow": writes an allow rule for the tool into policy.json — for one client by default
// (grants.<grant>.servers.<server>.tools.<tool>), for every client only when asked (servers.<server>.tools.<tool>) —
// keeping the deciding rule's args and limits, and the file's key order, formatting, $schema and x-* keys (jsonc-parser
// edits, not a rewrite).
import fs from 'node:fs';
import { applyEdits, modify } from 'jsonc-parser';
import type { Rule } from '../../../shared/policy.js';
import { writeFileAtomic } from '../home/files.js';

function indentOf(text: string): { insertSpaces: boolean; tabSize: number } {
  const match = /\n([ \t]+)"/.exec(text);
  if (!match) return { insertSpaces: true, tabSize: 2 };
  const indent = match[1]!;
  return indent.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1 }
    : { insertSpaces: true, tabSize: indent.length };
}

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
  const edits = modify(text, path, rule, {
    formattingOptions: { ...indentOf(text), eol: text.includes('\r\n') ? '\r\n' : '\n' },
  });
  return applyEdits(text, edits);
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
