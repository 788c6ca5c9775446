// A recommended policy from the tools' risk classes (issue 19): Read → allow; Write and Open-world → approve; Execute →
// approve and 10 calls a minute per grant; Destructive → approve or deny. Proposed as exact edits of policy.json
// (edit.ts: the rest of the file stays byte for byte) and never loosening what the user wrote. Pure: text in, edits out.
import type { Rule } from '../../../shared/policy.js';
import type { CompiledPolicy } from './compile.js';
import { applyPolicyEdits, type PolicyEdit } from './edit.js';
import { selectRule } from './select.js';
import type { Action } from './types.js';

/** A tool of the catalog and its risk class (risk/classify.ts): `read`, `open-world`, `write`, `execute`, `destructive`. */
export interface ClassifiedTool {
  server: string;
  tool: string;
  category: string;
}

export interface RecommendOptions {
  /** What a Destructive tool gets: a person asks (default), or it is denied. */
  destructive?: 'approve' | 'deny';
}

/** A tool the recommendation leaves alone, and why. */
interface SkippedTool {
  server: string;
  tool: string;
  why: string;
}

interface Recommendation {
  edits: { path: string[]; value: Rule }[];
  /** The policy text with the edits applied (unchanged when there are none). */
  text: string;
  skipped: SkippedTool[];
}

/** Calls a minute an Execute tool may make per grant. */
const EXECUTE_PER_MINUTE = 10;

const STRICTNESS: Record<Action, number> = { allow: 0, approve: 1, deny: 2 };

function ruleFor(tool: ClassifiedTool, options: RecommendOptions): Rule {
  switch (tool.category) {
    case 'read':
      return { action: 'allow' };
    case 'execute':
      return {
        action: 'approve',
        reason: 'recommended for Execute tools: a person decides, 10 a minute',
        limits: [
          {
            counter: `${tool.server}_${tool.tool}_rate`,
            window: 'minute',
            max: EXECUTE_PER_MINUTE,
            scope: 'grant',
          },
        ],
      };
    case 'destructive':
      return options.destructive === 'deny'
        ? { action: 'deny', reason: 'recommended for Destructive tools: denied' }
        : { action: 'approve', reason: 'recommended for Destructive tools: a person decides' };
    case 'open-world':
      return { action: 'approve', reason: 'recommended for Open-world tools: a person decides' };
    default:
      return { action: 'approve', reason: 'recommended for Write tools: a person decides' };
  }
}

/** Every counter the policy names: a recommended counter must not collide with one. */
function countersOf(compiled: CompiledPolicy): Set<string> {
  return new Set(compiled.rules.flatMap((rule) => rule.limits.map((limit) => limit.counter)));
}

/** Why the user's own policy keeps deciding this tool, or undefined when the recommended rule may be added. */
function keptBecause(compiled: CompiledPolicy, tool: ClassifiedTool, proposed: Rule): string | undefined {
  const selection = selectRule(compiled, '', tool.server, tool.tool);
  const own = selection.compiled;
  if (!own) return undefined; // a default decides: the recommendation is what the user has not decided yet
  if (own.action === 'deny') return `${own.rule} denies it (a deny the user wrote is kept)`;
  if (own.pattern.exact) return `${own.rule} is a rule the user wrote for this tool (kept)`;
  const action = proposed.action ?? 'allow';
  if (STRICTNESS[action] < STRICTNESS[own.action])
    return `${own.rule} says ${own.action}: the recommended ${action} would loosen it`;
  if (own.args.length > 0 || own.limits.length > 0)
    return `${own.rule} has argument rules or limits the recommended rule would drop`;
  if (action === own.action && proposed.limits === undefined) return `${own.rule} already says ${own.action}`;
  return undefined;
}

export function recommendPolicy(
  text: string,
  compiled: CompiledPolicy,
  tools: readonly ClassifiedTool[],
  options: RecommendOptions = {},
): Recommendation {
  const counters = countersOf(compiled);
  const edits: Recommendation['edits'] = [];
  const skipped: SkippedTool[] = [];
  for (const tool of tools) {
    const proposed = ruleFor(tool, options);
    const kept = keptBecause(compiled, tool, proposed);
    if (kept !== undefined) {
      skipped.push({ server: tool.server, tool: tool.tool, why: kept });
      continue;
    }
    const counter = proposed.limits?.[0]?.counter;
    if (counter !== undefined && counters.has(counter)) {
      skipped.push({ server: tool.server, tool: tool.tool, why: `the counter "${counter}" is already used` });
      continue;
    }
    edits.push({ path: ['servers', tool.server, 'tools', tool.tool], value: proposed });
  }
  const next = edits.length > 0 ? applyPolicyEdits(text, edits as PolicyEdit[]) : text;
  return { edits, text: next, skipped };
}

/** A unified diff of two texts' lines (3 lines of context), or '' when they are the same. */
export function lineDiff(before: string, after: string, name = 'policy.json'): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence over lines; a policy file is small, and past a size the whole text is replaced.
  const ops: { kind: ' ' | '-' | '+'; line: string }[] = [];
  if (a.length * b.length > 4_000_000) {
    ops.push(
      ...a.map((line) => ({ kind: '-' as const, line })),
      ...b.map((line) => ({ kind: '+' as const, line })),
    );
  } else {
    const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
    for (let i = a.length - 1; i >= 0; i--)
      for (let j = b.length - 1; j >= 0; j--)
        lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        ops.push({ kind: ' ', line: a[i++]! });
        j++;
      } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        ops.push({ kind: '-', line: a[i++]! });
      } else ops.push({ kind: '+', line: b[j++]! });
    }
  }
  const out = [`--- ${name}`, `+++ ${name} (recommended)`];
  const CONTEXT = 3;
  let k = 0;
  let shown = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(shown, k - CONTEXT);
    let end = k;
    // Extend the hunk while changes come within twice the context of each other.
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]!.kind !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap]!.kind === ' ') gap++;
      end = next;
      if (gap >= ops.length || gap - next > 2 * CONTEXT) break;
      end = gap;
    }
    const stop = Math.min(ops.length, end + CONTEXT);
    const lineA = ops.slice(0, start).filter((o) => o.kind !== '+').length + 1;
    const lineB = ops.slice(0, start).filter((o) => o.kind !== '-').length + 1;
    const hunk = ops.slice(start, stop);
    const countA = hunk.filter((o) => o.kind !== '+').length;
    const countB = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${lineA},${countA} +${lineB},${countB} @@`, ...hunk.map((o) => `${o.kind}${o.line}`));
    k = stop;
    shown = stop;
  }
  return `${out.join('\n')}\n`;
}
