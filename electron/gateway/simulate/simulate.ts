// The simulator (issue 19): a draft policy replayed over recorded calls, in time order, by the same decide() that
// decides live calls, with a fresh counter store — "this policy would have denied these 12 calls and asked for these
// 30". Pure over the records it is given; reading the log is simulate-log.ts.
import type { CallRecord } from '../../../shared/call-record.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { CounterStore } from '../policy/counters.js';
import { decide } from '../policy/decide.js';
import { selectRule } from '../policy/select.js';
import type { CallContext, Decision } from '../policy/types.js';
import { plural } from '../text/plural.js';

/** What happened, or would happen, to one call. `unknown`: an argument rule decides and the log has not kept them. */
type Outcome = 'allow' | 'approve' | 'deny' | 'rate_limited' | 'invalid_args' | 'unknown';

interface ChangedCall {
  id: string;
  ts: string;
  grant: string;
  server: string;
  tool: string;
  was: Outcome;
  would: Outcome;
  /** The draft's deciding rule and its reason. */
  rule: string;
  reason: string;
}

export interface Simulation {
  /** Tool calls replayed. */
  total: number;
  changed: ChangedCall[];
  counts: Record<Outcome, number>;
  notes: string[];
}

export interface SimulateOptions {
  /** A server's folders and path resolver, for `path` argument rules (without them a path rule fails closed). */
  pathsOf?: (server: string) => Pick<CallContext, 'folders' | 'resolvePath'>;
}

/** Rules decided by what stands above the policy: the record does not say what the policy alone would have done. */
const OVERRIDE_RULES = new Set(['pause', 'pin', 'tripwire', 'argument depth']);
const LOG_MARKER = /\[(?:redacted sha256:[0-9a-f]{12}|truncated)/;

const OUTCOME_OF_STATUS: Record<Decision['status'], Outcome> = {
  allowed: 'allow',
  approval_required: 'approve',
  denied: 'deny',
  rate_limited: 'rate_limited',
  invalid_args: 'invalid_args',
};

/** A tool call's record (capability uses are recorded with their method, e.g. `resources/read`, as the tool). */
const isToolCall = (record: CallRecord) => !record.tool.includes('/');

/** What the live engine did with a call, in the simulator's words. */
function recordedOutcome(record: CallRecord): Outcome {
  if (record.decision === 'allow') {
    // A call passed by a remembered approval was one the policy sent to a person.
    return /; passed by a (?:late|temporary) approval from /.test(record.reason) ? 'approve' : 'allow';
  }
  if (record.decision === 'approve') return 'approve';
  if (record.status === 'rate_limited') return 'rate_limited';
  if (record.status === 'invalid_args') return 'invalid_args';
  return 'deny';
}

/** Whether the logged arguments lost something to redaction or truncation (then argument rules cannot be replayed). */
function argumentsAltered(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return LOG_MARKER.test(value);
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  return Object.entries(value).some(([k, v]) => k === '[truncated]' || argumentsAltered(v, depth + 1));
}

/** The records oldest first (by time; the log's own order among equal times). */
function inTimeOrder(records: readonly CallRecord[]): CallRecord[] {
  return records
    .map((record, index) => ({ record, index, at: Date.parse(record.ts) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map((e) => e.record);
}

export function simulateCalls(
  records: readonly CallRecord[],
  draft: CompiledPolicy,
  options: SimulateOptions = {},
): Simulation {
  const counters = new CounterStore();
  const counts: Record<Outcome, number> = {
    allow: 0,
    approve: 0,
    deny: 0,
    rate_limited: 0,
    invalid_args: 0,
    unknown: 0,
  };
  const changed: ChangedCall[] = [];
  let total = 0;
  let overridden = 0;
  let altered = 0;
  for (const record of inTimeOrder(records.filter(isToolCall))) {
    total++;
    const now = Date.parse(record.ts);
    const args =
      typeof record.arguments === 'object' && record.arguments !== null && !Array.isArray(record.arguments)
        ? (record.arguments as Record<string, unknown>)
        : {};
    const call: CallContext = {
      grant: record.grant,
      session: record.session,
      server: record.server,
      tool: record.tool,
      arguments: args,
      ...options.pathsOf?.(record.server),
    };
    const decision = decide(call, draft, counters, now);
    const selection = selectRule(draft, record.grant, record.server, record.tool);
    const checksArgs = (selection.compiled?.args.length ?? 0) > 0 && selection.action !== 'deny';
    let would: Outcome = OUTCOME_OF_STATUS[decision.status];
    if (checksArgs && argumentsAltered(record.arguments)) {
      would = 'unknown';
      altered++;
    }
    counts[would]++;
    // Limits count what would have run: allowed, or asked and approved by the person who answered the real call.
    const ran = record.decision === 'allow' || record.approval?.decision === 'approve';
    if (would === 'allow' || (would === 'approve' && ran))
      counters.charge([...decision.charges, ...(decision.monitored?.charges ?? [])], now);
    if (OVERRIDE_RULES.has(record.rule)) {
      overridden++;
      continue;
    }
    const was = recordedOutcome(record);
    if (would === 'unknown' || would === was) continue;
    changed.push({
      id: record.id,
      ts: record.ts,
      grant: record.grant,
      server: record.server,
      tool: record.tool,
      was,
      would,
      rule: decision.rule,
      reason: decision.reason,
    });
  }
  const notes = [
    'Arguments in the log are redacted (secrets) and cut to fit: argument rules are replayed on what the log kept.',
  ];
  if (altered > 0)
    notes.push(
      `${plural(altered, 'call')} had redacted or truncated arguments and a draft argument rule: outcome unknown, not guessed.`,
    );
  if (overridden > 0)
    notes.push(
      `${plural(overridden, 'call')} decided by the pause, a changed tool definition or the tripwire (they stand above any policy): not compared.`,
    );
  notes.push(
    'Limits are replayed in time order from empty counters; an asked call counts when its person approved it.',
  );
  return { total, changed, counts, notes };
}

/** `7d`, `24h`, `30m`, `45s`: a span back from now, in ms. */
export function parseSince(text: string): number {
  const match = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (!match) throw new Error(`--since takes a number and a unit (s, m, h, d, w), e.g. 7d, not "${text}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] as 's'];
  return Number(match[1]) * unit;
}
