// The decision engine's inputs and outputs: what a call is, what the engine decides, and the counters it reads.
// Plain data, and the path resolver a call brings, so that decide() stays a pure function of its inputs.

export type Action = 'allow' | 'deny' | 'approve';

/** One tools/call as the engine sees it: the (server, tool) pair already resolved from the exposed name. */
export interface CallContext {
  server: string;
  tool: string;
  arguments: Readonly<Record<string, unknown>>;
  grant: string;
  session: string;
  /** The folders the server reads a relative path against, its working directory first (paths/server-folders). */
  folders?: readonly string[];
  /** Makes a path argument canonical for `path` rules; without it a `path` rule cannot hold (fail closed). */
  resolvePath?: PathResolver;
}

/**
 * Every canonical form a path argument may take, as comparison keys (paths/canonical), read against `folders`; with
 * `complete` false when some reading could not be made (a relative path and no folder, a file:// URI of another
 * host).
 */
export type PathResolver = (
  value: string,
  folders: readonly string[],
) => { keys: readonly string[]; complete: boolean };

/** A counter the call is charged to once it is forwarded (the deciding rule's `limits`). */
export interface CounterCharge {
  /** Counter name plus its scope identity, e.g. `run_procedure_rate` + grant `cursor`. */
  key: string;
  counter: string;
  windowMs: number;
  max: number;
  /** The limit's scope and window in words, as the policy says them (absent on charges rebuilt from the log). */
  scope?: 'global' | 'grant' | 'session';
  windowText?: string;
  /**
   * Where a forwarded call's charge was counted when team mode shares it (settings.json `counters`): on the team's
   * Redis, or on this gateway's own counters while Redis could not be reached (`onUnavailable: "local"`). Absent: local.
   */
  counted?: 'team' | 'local-fallback';
}

/** Read-only view of the sliding-window counters. */
export interface CounterView {
  /** How many charges of `key` fall in (now - windowMs, now]. */
  countInWindow(key: string, windowMs: number, now: number): number;
  /** The timestamp (ms) of the n-th (0 = oldest) charge of `key` in (now - windowMs, now]. */
  hitInWindow(key: string, windowMs: number, now: number, n: number): number | undefined;
}

type DecisionStatus = 'allowed' | 'approval_required' | 'denied' | 'rate_limited' | 'invalid_args';

export interface Decision {
  /** Final verdict: allow → forward now; approve → a person must approve first; deny → refuse. */
  decision: Action;
  status: DecisionStatus;
  /** Where the deciding rule lives, e.g. `tools["delete_*"]`, `servers.komodo.tools["list_*"]`, `default`, `servers.komodo.default`. */
  rule: string;
  /** The deciding rule's key (tool-name pattern), absent when a default decided. */
  ruleKey?: string;
  /** Plain words for the agent (deny) or the person (approve): see DESIGN.md §5. */
  reason: string;
  /** Counters to charge when the call is forwarded. */
  charges: CounterCharge[];
  /** For a rate-limit hit: whole seconds until an identical call would pass. */
  retryAfterSeconds?: number;
  /** The pause, a changed tool definition or the tripwire decided (policy/overrides.ts): only a fresh answer passes. */
  override?: 'pause' | 'pin' | 'tripwire';
  /** A monitored rule (`"monitor": true`) would decide this call: what it would have done, recorded, not enforced. */
  monitored?: MonitoredDecision;
}

interface MonitoredDecision {
  decision: Action;
  status: DecisionStatus;
  rule: string;
  reason: string;
  retryAfterSeconds?: number;
  /**
   * The monitored rule's limits, on counters of their own (never the enforced ones): charged with the forwarded call
   * only when the rule would have let it through, so a monitored limit shows when it would have been reached.
   */
  charges: CounterCharge[];
}
