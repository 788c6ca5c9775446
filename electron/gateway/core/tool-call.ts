// The path of one tools/call (DESIGN.md §5): decide, check arguments and limits, log the decision, forward, log the outcome.
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallRecord, CallStatus } from '../../../shared/call-record.js';
import type { Settings } from '../../../shared/settings.js';
import { decide } from '../policy/decide.js';
import type { CounterStore } from '../policy/counters.js';
import type { Decision } from '../policy/types.js';
import type { CallLog } from '../log/call-log.js';
import { argsHash } from '../log/canonical.js';
import { redactString, redactValue } from '../log/redact.js';
import { denialResult } from './denial.js';
import type { PolicyHolder } from './policy-holder.js';

export interface ForwardOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

export interface ToolCallDeps {
  policy: PolicyHolder;
  counters: CounterStore;
  log: CallLog;
  settings: () => Settings;
  forward: (
    server: string,
    tool: string,
    args: Record<string, unknown>,
    opts: ForwardOptions,
  ) => Promise<CallToolResult>;
  clock: () => number;
  newId: () => string;
  diagnostics: (line: string) => void;
}

export interface ResolvedCall {
  grant: string;
  session: string;
  exposedName: string;
  server: string;
  tool: string;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const STATUS_OF: Record<Decision['status'], CallStatus> = {
  allowed: 'pending',
  approval_required: 'denied',
  denied: 'denied',
  rate_limited: 'rate_limited',
  invalid_args: 'invalid_args',
};

/** Until approvals land, an `approve` decision is refused — never allowed. */
const APPROVALS_UNAVAILABLE =
  'requires approval, and approvals are not available yet in this version of Gatehouse — ask the user to allow it in policy.json';

function firstText(result: CallToolResult): string | undefined {
  const block = result.content?.find((c) => c.type === 'text');
  return block && 'text' in block ? String(block.text) : undefined;
}

export async function runToolCall(
  deps: ToolCallDeps,
  call: ResolvedCall,
  rawArgs: Record<string, unknown> | undefined,
  opts: ForwardOptions,
): Promise<CallToolResult> {
  const args = deepFreeze(rawArgs ?? {});
  const started = deps.clock();
  const { compiled, version } = deps.policy.get();
  // Decide and charge with no await in between, so concurrent calls can never exceed a limit.
  const decision = decide(
    { server: call.server, tool: call.tool, arguments: args, grant: call.grant, session: call.session },
    compiled,
    deps.counters,
    started,
  );
  const reason =
    decision.decision === 'approve' ? `${decision.reason}; ${APPROVALS_UNAVAILABLE}` : decision.reason;
  const status = STATUS_OF[decision.status];
  if (status === 'pending') deps.counters.charge(decision.charges, started);

  const settings = deps.settings();
  const record: CallRecord = {
    id: deps.newId(),
    ts: new Date(started).toISOString(),
    grant: call.grant,
    session: call.session,
    server: call.server,
    tool: call.tool,
    exposedName: call.exposedName,
    arguments: redactValue(args, settings.logArgumentValues),
    argsHash: argsHash(args),
    decision: decision.decision,
    rule: decision.rule,
    reason,
    policyVersion: version,
    status,
  };
  // The decision is on disk before anything is forwarded; if the log cannot be written, nothing is forwarded.
  try {
    deps.log.append(record);
  } catch (err) {
    deps.diagnostics(`call log write failed, refusing ${call.exposedName}: ${(err as Error).message}`);
    return denialResult(
      call.exposedName,
      'the call log cannot be written, so Gatehouse refuses every call until it can',
      {
        decision: 'deny',
        status: 'error',
        rule: decision.rule,
      },
    );
  }

  if (status !== 'pending') {
    return denialResult(call.exposedName, reason, {
      decision: decision.decision,
      status,
      rule: decision.rule,
      ...(decision.retryAfterSeconds !== undefined ? { retryAfterSeconds: decision.retryAfterSeconds } : {}),
    });
  }

  let outcome: { status: CallStatus; error?: string };
  try {
    const result = await deps.forward(call.server, call.tool, args as Record<string, unknown>, opts);
    outcome = result.isError
      ? { status: 'error', error: firstText(result) ?? 'the tool reported an error' }
      : { status: 'ok' };
    appendOutcome(deps, record, started, outcome);
    return result;
  } catch (err) {
    outcome = { status: 'error', error: (err as Error).message };
    appendOutcome(deps, record, started, outcome);
    // A JSON-RPC error from the upstream passes through as it is; anything else becomes a tool error the agent can read.
    if (
      err instanceof McpError &&
      err.code !== ErrorCode.ConnectionClosed &&
      err.code !== ErrorCode.RequestTimeout
    )
      throw err;
    return {
      isError: true,
      content: [
        { type: 'text', text: `Gatehouse could not complete ${call.exposedName}: ${(err as Error).message}` },
      ],
    };
  }
}

function appendOutcome(
  deps: ToolCallDeps,
  record: CallRecord,
  started: number,
  outcome: { status: CallStatus; error?: string },
) {
  const now = deps.clock();
  try {
    deps.log.append(
      {
        id: record.id,
        ts: new Date(now).toISOString(),
        status: outcome.status,
        durationMs: now - started,
        ...(outcome.error !== undefined ? { error: redactString(outcome.error).slice(0, 2000) } : {}),
      },
      record.ts,
    );
  } catch (err) {
    deps.diagnostics(`call log write failed for the outcome of ${record.id}: ${(err as Error).message}`);
  }
}
