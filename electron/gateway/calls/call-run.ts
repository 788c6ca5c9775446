// One call's record in the log: the decision line written before anything is forwarded, then the lines that follow
// it (approval answers, outcome), each also told to the live view; and the refusals an agent reads.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallOutcome, CallRecord, CallStatus } from '../../../shared/call-record.js';
import type { CounterCharge, Decision } from '../policy/types.js';
import { argsHash } from '../log/canonical.js';
import { denialResult } from './denial.js';
import type { CallLog, LineChain } from '../log/call-log.js';
import { boundString } from '../log/bound.js';
import { redactString } from '../log/redact.js';

const MAX_MONITORED_REASON = 1000;

export interface ResolvedCall {
  grant: string;
  session: string;
  exposedName: string;
  server: string;
  tool: string;
  /** The JSON-RPC id of the client's request: a question about this call goes on its stream. */
  requestId?: string | number;
  /** Gatehouse's task for a call run as a task (the upstream's task, once created, is followed under it). */
  taskId?: string;
  /** The W3C trace context the client sent in the call's `_meta`: passed to the upstream unchanged. */
  trace?: TraceContext;
}

export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/** Where a call's lines go: the log (before anything is forwarded) and the live view. */
export interface CallRecorder {
  log: CallLog;
  /** Told of every record written and every outcome, with its call (the live view, the audit trail). */
  /** `line`: the place in the log's chain of the line just written (for an outcome, not the record's own). */
  onRecord: (record: CallRecord, call: ResolvedCall, line: LineChain) => void;
  /** The version of the policy in force, named in every record. */
  policyVersion: () => string;
  clock: () => number;
  newId: () => string;
  diagnostics: (line: string) => void;
}

export class CallRun {
  readonly started: number;
  readonly hash: string;
  /** The record as last written: set by the decision line, which always comes first. */
  private record: CallRecord | undefined;

  constructor(
    private readonly deps: CallRecorder,
    readonly call: ResolvedCall,
    readonly args: Readonly<Record<string, unknown>>,
  ) {
    this.started = deps.clock();
    this.hash = argsHash(args);
  }

  /** Writes the decision line; false when the log cannot be written (then nothing may be forwarded). */
  writeDecision(decision: Decision, status: CallStatus, charged: boolean, reason = decision.reason): boolean {
    this.record = {
      id: this.deps.newId(),
      ts: new Date(this.started).toISOString(),
      grant: this.call.grant,
      session: this.call.session,
      server: this.call.server,
      tool: this.call.tool,
      exposedName: this.call.exposedName,
      arguments: this.args,
      argsHash: this.hash,
      decision: decision.decision,
      rule: decision.rule,
      reason,
      policyVersion: this.deps.policyVersion(),
      status,
    };
    if (decision.monitored) {
      const { decision: would, status, rule, reason: why } = decision.monitored;
      this.record.monitor = true;
      // Nested, so the log's own pass over the record's top-level texts does not reach it: redacted here.
      this.record.monitored = {
        decision: would,
        status,
        rule,
        reason: redactString(boundString(why, MAX_MONITORED_REASON)),
      };
    }
    if (charged && decision.charges.length > 0) this.record.charges = recordedCharges(decision.charges);
    try {
      this.record = this.deps.log.append(this.record); // as written: redacted by the log
    } catch (err) {
      this.deps.diagnostics(
        `call log write failed, refusing ${this.call.exposedName}: ${(err as Error).message}`,
      );
      return false;
    }
    this.deps.onRecord(this.record, this.call, chainOf(this.record));
    return true;
  }

  /** Appends a line for this call; an outcome that carries charges must be on disk before forwarding. */
  appendLine(fields: Omit<CallOutcome, 'id' | 'ts'>): boolean {
    const decided = this.record;
    if (!decided) throw new Error(`a line for ${this.call.exposedName} before its decision line`);
    const now = this.deps.clock();
    let line: CallOutcome = { id: decided.id, ts: new Date(now).toISOString(), ...fields };
    try {
      line = this.deps.log.append(line, decided.ts); // as written: redacted by the log
    } catch (err) {
      this.deps.diagnostics(`call log write failed for ${decided.id}: ${(err as Error).message}`);
      return false;
    }
    this.record = {
      ...decided,
      status: line.status,
      ...(line.durationMs !== undefined ? { durationMs: line.durationMs } : {}),
      ...(line.error !== undefined ? { error: line.error } : {}),
      ...(line.resultPreview !== undefined ? { resultPreview: line.resultPreview } : {}),
      ...(line.reason !== undefined ? { reason: line.reason } : {}),
      ...(line.approval !== undefined ? { approval: line.approval } : {}),
    };
    this.deps.onRecord(this.record, this.call, chainOf(line));
    return true;
  }

  elapsed(): number {
    return this.deps.clock() - this.started;
  }
}

/** A call's charges as its record keeps them: what rebuilds the counters at start, and where each was counted. */
export function recordedCharges(charges: readonly CounterCharge[]): NonNullable<CallRecord['charges']> {
  return charges.map((c) => ({
    key: c.key,
    windowMs: c.windowMs,
    ...(c.counted ? { counted: c.counted } : {}),
  }));
}

export const logFailure = (exposedName: string, rule: string) =>
  denialResult(exposedName, 'the call log cannot be written, so Gatehouse refuses every call until it can', {
    decision: 'deny',
    status: 'error',
    rule,
  });

export function refusal(
  run: CallRun,
  decision: Decision,
  status: CallStatus,
  reason = decision.reason,
): CallToolResult {
  return denialResult(run.call.exposedName, reason, {
    decision: decision.decision,
    status,
    rule: decision.rule,
    ...(decision.retryAfterSeconds !== undefined ? { retryAfterSeconds: decision.retryAfterSeconds } : {}),
  });
}

function chainOf(line: LineChain): LineChain {
  return {
    ...(line.prev !== undefined ? { prev: line.prev } : {}),
    ...(line.hash !== undefined ? { hash: line.hash } : {}),
  };
}
