// Shared helpers of the policy tests: compile a policy from a plain object, and build calls.
import { parsePolicyText } from '../../../electron/gateway/policy/load.js';
import type { CompiledPolicy } from '../../../electron/gateway/policy/compile.js';
import type { CallContext, CounterView } from '../../../electron/gateway/policy/types.js';

export function compile(policy: unknown): CompiledPolicy {
  const result = parsePolicyText(JSON.stringify(policy, null, 2));
  if (!result.ok) throw new Error(`invalid test policy: ${JSON.stringify(result.errors)}`);
  return result.compiled;
}

export function call(tool: string, overrides: Partial<CallContext> = {}): CallContext {
  return { server: 'komodo', tool, arguments: {}, grant: 'cursor', session: 's1', ...overrides };
}

/** Counters that hold these hits (ascending) for every key and window, whatever the time. */
export function fixedHits(hits: readonly number[]): CounterView {
  return { countInWindow: () => hits.length, hitInWindow: (_key, _windowMs, _now, n) => hits[n] };
}

export const NO_COUNTERS: CounterView = fixedHits([]);

/** The larger example of DESIGN.md §4, verbatim. */
export const DESIGN_EXAMPLE = `{
  "$schema": "./policy.schema.json",
  "version": "1",
  "default": "deny",
  "approvalTimeoutSeconds": 50,
  "tools": {
    "run_procedure": { "limits": [{ "counter": "run_procedure_rate", "window": "minute", "max": 10, "scope": "grant" }] },
    "delete_*": { "action": "approve", "reason": "destructive" }
  },
  "servers": {
    "komodo": { "default": "approve", "tools": { "list_*": { "action": "allow" } },
                "resources": "allow", "prompts": "allow", "sampling": "deny", "elicitation": "allow" }
  },
  "grants": { "cursor": { "tools": { "execute_*": { "action": "deny", "reason": "not from Cursor" } } } }
}`;

export const SEED_EXAMPLE =
  '{"version":"1","default":"deny","tools":{"run_procedure":{"limits":[{"counter":"run_procedure_rate","window":"minute","max":10,"scope":"grant"}]}}}';
