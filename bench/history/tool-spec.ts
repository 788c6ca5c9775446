// What one tool of the generated history is: how often it is called, the rule that decides it, the odds of each
// outcome, and its arguments and results (bench/history/catalog.ts lists them).
import type { Random } from './random.js';
import type { TextSource } from './text.js';

type Verdict = 'allow' | 'deny' | 'approve' | 'invalid_args';

/** A tool the history's clients call: how often, the rule that decides it, and what its calls carry. */
export interface ToolSpec {
  server: string;
  tool: string;
  /** Relative frequency among all calls. */
  weight: number;
  decision: Verdict;
  rule: string;
  reason: string;
  /** A limit on the tool: its counter key (before the scope's suffix), scope, window, and the share of calls over it. */
  limit?: {
    counter: string;
    scope: 'global' | 'grant';
    windowMs: number;
    windowText: string;
    max: number;
    over: number;
  };
  /** Share of forwarded calls whose tool reports an error. */
  errors?: number;
  /** A monitored rule watches the tool (DESIGN.md §4 Monitor): what it would have done. */
  monitored?: { rule: string; reason: string };
  /** Grants for which the tool is denied by a grant overlay. */
  deniedFor?: { grant: string; rule: string; reason: string };
  /** The arguments, with keys in sorted order (so their canonical JSON is their JSON). */
  args: (t: TextSource, r: Random) => Record<string, unknown>;
  /** The result's first text, and a tool error's text (a tool never forwarded has neither). */
  result?: (t: TextSource, r: Random) => string;
  failure?: (t: TextSource, r: Random) => string;
  /** Typical duration in ms (of a forwarded call). */
  ms?: number;
}

export const allow = (server: string, key: string) => ({
  decision: 'allow' as const,
  rule: `servers.${server}.tools[${JSON.stringify(key)}]`,
  reason: `allowed by policy rule ${JSON.stringify(key)}`,
});
export const MINUTE = { windowMs: 60_000, windowText: 'minute' };
