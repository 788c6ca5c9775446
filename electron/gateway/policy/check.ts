// `gatehouse policy check`: validate a policy text, summarize it, and warn about rules that can never decide.
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { CompiledPolicy, CompiledRule } from './compile.js';
import { patternContains } from './glob.js';
import {
  formatPolicyError,
  parsePolicyJson,
  parsePolicyText,
  type PolicyError,
  type TextPositions,
} from './load.js';
import { moreSpecific } from './select.js';
import { plural } from '../text/plural.js';

interface PolicyWarning {
  path: string;
  line?: number;
  column?: number;
  /** A whole sentence, starting with the rule it is about. */
  message: string;
}

export interface PolicyCheckResult {
  ok: boolean;
  summary?: string;
  errors: PolicyError[];
  warnings: PolicyWarning[];
}

function summarize(compiled: CompiledPolicy, fileName: string): string {
  const { policy } = compiled;
  const counters = new Set(compiled.rules.flatMap((rule) => rule.limits.map((limit) => limit.counter)));
  return (
    `ok: ${fileName} — default ${policy.default ?? 'deny'}, ${plural(compiled.rules.length, 'tool rule')}, ` +
    `${plural(Object.keys(policy.servers ?? {}).length, 'server')}, ` +
    `${plural(Object.keys(policy.grants ?? {}).length, 'grant overlay')}, ` +
    `${plural(counters.size, 'rate-limit counter')}`
  );
}

/** Whether every call `inner`'s section applies to is also one `outer`'s section applies to. */
function sectionCovers(outer: CompiledRule, inner: CompiledRule): boolean {
  const { grant, server } = outer.appliesTo;
  return (
    (grant === undefined || grant === inner.appliesTo.grant) &&
    (server === undefined || server === inner.appliesTo.server)
  );
}

/** Cheap necessary conditions for L(inner) ⊆ L(outer), so the exact test runs on few pairs. */
function mayContain(outer: CompiledRule, inner: CompiledRule): boolean {
  const a = outer.pattern;
  const b = inner.pattern;
  if (a.literals > b.literals) return false;
  const prefix = a.parts[0] ?? '';
  const suffix = a.parts[a.parts.length - 1] ?? '';
  if (a.exact) return b.exact && a.key === b.key;
  return (
    (b.parts[0] ?? '').length >= prefix.length &&
    b.key.startsWith(prefix) &&
    (b.parts[b.parts.length - 1] ?? '').length >= suffix.length &&
    b.key.endsWith(suffix)
  );
}

function contains(outer: CompiledRule, inner: CompiledRule): boolean {
  return mayContain(outer, inner) && patternContains(outer.pattern.key, inner.pattern.key);
}

/**
 * Why `rule` can never decide, or undefined when some call reaches it. Monitored rules are selected apart from the
 * enforced ones (select.ts), so a rule is shadowed only by rules of its own kind.
 */
function shadowOf(rule: CompiledRule, all: readonly CompiledRule[]): string | undefined {
  if (rule.action === 'deny') return undefined;
  const rules = all.filter((other) => other.monitor === rule.monitor);
  for (const deny of rules) {
    if (deny.action === 'deny' && sectionCovers(deny, rule) && contains(deny, rule)) {
      return `${rule.rule} can never decide: ${deny.rule} denies every tool it matches`;
    }
  }
  for (const other of rules) {
    if (other === rule || other.action === 'deny' || other.sectionPath !== rule.sectionPath) continue;
    if (moreSpecific(other, rule) && contains(other, rule)) {
      return `${rule.rule} can never decide: ${other.rule} matches every tool it matches and wins`;
    }
  }
  return undefined;
}

function findShadowedRules(
  compiled: CompiledPolicy,
  root?: Node,
  positions?: TextPositions,
): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  for (const rule of compiled.rules) {
    const message = shadowOf(rule, compiled.rules);
    if (message === undefined) continue;
    const valueNode = root ? findNodeAtLocation(root, [...rule.path]) : undefined;
    const keyNode = valueNode?.parent?.type === 'property' ? valueNode.parent.children?.[0] : valueNode;
    const position = keyNode && positions ? positions.at(keyNode.offset) : {};
    warnings.push({ path: rule.rule, ...position, message });
  }
  return warnings;
}

export function checkPolicyText(text: string, fileName = 'policy.json'): PolicyCheckResult {
  const parsed = parsePolicyText(text, fileName);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, warnings: [] };
  const json = parsePolicyJson(text);
  const warnings = json.ok
    ? findShadowedRules(parsed.compiled, json.root, json.positions)
    : findShadowedRules(parsed.compiled);
  return { ok: true, summary: summarize(parsed.compiled, fileName), errors: [], warnings };
}

export function formatCheckResult(
  result: PolicyCheckResult,
  fileName = 'policy.json',
): { stdout: string; stderr: string; exitCode: 0 | 1 } {
  if (!result.ok) {
    const lines = result.errors.map((error) => `error: ${formatPolicyError(error, fileName)}`);
    lines.push(plural(result.errors.length, 'error'));
    return { stdout: '', stderr: `${lines.join('\n')}\n`, exitCode: 1 };
  }
  const lines = [result.summary ?? `ok: ${fileName}`];
  for (const warning of result.warnings) {
    const where =
      warning.line === undefined
        ? fileName
        : `${fileName} line ${warning.line} column ${warning.column ?? 1}`;
    lines.push(`warning: ${where}: ${warning.message}`);
  }
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0 };
}
