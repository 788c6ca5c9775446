// "Always allow": writes servers.<server>.tools.<tool> = allow into policy.json, keeping the deciding rule's args and
// limits, and keeping the file's key order, formatting, $schema and x-* keys (jsonc-parser edits, not a rewrite).
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

/** The new policy text with the allow rule in place. */
function withAlwaysAllow(text: string, server: string, tool: string, deciding: Rule | undefined): string {
  const rule: Rule = { action: 'allow' };
  if (deciding?.args) rule.args = deciding.args;
  if (deciding?.limits) rule.limits = deciding.limits;
  const edits = modify(text, ['servers', server, 'tools', tool], rule, {
    formattingOptions: { ...indentOf(text), eol: text.includes('\r\n') ? '\r\n' : '\n' },
  });
  return applyEdits(text, edits);
}

export function writeAlwaysAllow(
  policyFile: string,
  server: string,
  tool: string,
  deciding: Rule | undefined,
): string {
  const next = withAlwaysAllow(fs.readFileSync(policyFile, 'utf8'), server, tool, deciding);
  writeFileAtomic(policyFile, next, 0o600);
  return next;
}
