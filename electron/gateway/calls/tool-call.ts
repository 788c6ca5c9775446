// The path of one tools/call (DESIGN.md §5): decide (policy, pause, tripwire), check arguments and limits, ask a
// person when needed, re-decide at release, log the decision before forwarding, forward, log the outcome.
import { answeredBy, noteOf, type Answerer } from '../approvals/answerer.js';
import {
  ErrorCode,
  McpError,
  type CallToolResult,
  type CreateTaskResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallStatus } from '../../../shared/call-record.js';
import type { Risk } from '../../../shared/api/approvals.js';
import type { CounterCharge, Decision } from '../policy/types.js';
import type { SharedCounting } from '../team/shared-counters.js';
import { resultPreview } from '../log/result-preview.js';
import type { ApprovalService } from '../approvals/service.js';
import type { ApprovalOutcome } from '../approvals/queue.js';
import { LATE_APPROVAL_MS } from '../approvals/remembered.js';
import { askInClient, IN_CLIENT, type ElicitingClient } from '../approvals/elicitation.js';
import {
  CallRun,
  logFailure,
  recordedCharges,
  refusal,
  type CallRecorder,
  type ResolvedCall,
} from './call-run.js';
import { chargeCall, DENIED_STATUS } from './call-charge.js';
import type { CallTarget } from './call-decider.js';
import { MAX_ARGUMENT_DEPTH, nestedDeeperThan } from './argument-depth.js';

export interface ForwardOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /** The client asked to run the call as an MCP task (`params.task` of tools/call): the upstream answers with a task. */
  task?: Record<string, unknown>;
}

/** A tool's result, or the task the upstream created for a call run as a task. */
export type ToolCallResult = CallToolResult | CreateTaskResult;

export const isTaskCreation = (result: ToolCallResult): result is CreateTaskResult =>
  typeof (result as { task?: unknown }).task === 'object' && (result as { task?: unknown }).task !== null;

export interface ToolCallDeps {
  recorder: CallRecorder;
  /** The decision at this moment: the policy and its counters, the pause, the pin, the tripwire (CallDecider). */
  decide: (call: CallTarget, args: Readonly<Record<string, unknown>>, now: number) => Decision;
  /** Charges a forwarded call's counters. */
  charge: (charges: CounterCharge[], now: number) => void;
  /** The team's shared counters (settings.json `counters`): which charges they count, and counting them. */
  shared: SharedCounting;
  approvals: ApprovalService;
  approvalTimeoutSeconds: () => number;
  /** What the approval card shows of the tool: the server's description and the risk. */
  describeTool: (server: string, tool: string) => { description?: string; risk: Risk };
  /** A person approved a call held for a changed definition: the new definition becomes the pin. */
  acceptPin: (server: string, tool: string) => void;
  /** The calling client, when a person may also be asked in it (settings, its capabilities, the risk allow it). */
  inClient: (session: string, risk: Risk) => ElicitingClient | undefined;
  /** Tells `listener` when Gatehouse is resumed; returns how to stop listening. */
  onResume: (listener: () => void) => () => void;
  forward: (
    call: ResolvedCall,
    args: Record<string, unknown>,
    opts: ForwardOptions,
  ) => Promise<ToolCallResult>;
  /**
   * The upstream created a task for a call run as a task: Gatehouse's task for the call (`call.taskId`, already
   * handed to the client) follows it from now on; `finished` gives the call record its outcome when a client fetches
   * the task's result.
   */
  adoptTask: (
    taskId: string,
    created: CreateTaskResult,
    finished: (result: Record<string, unknown>) => void,
  ) => CreateTaskResult;
}

/** How often a waiting call tells a client with a progress token that it is still waiting. */
const WAITING_PROGRESS_MS = 5000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The first text block of a tool result, if any. */
export function firstText(result: Record<string, unknown>): string | undefined {
  const content = Array.isArray(result.content)
    ? (result.content as { type?: unknown; text?: unknown }[])
    : [];
  const block = content.find((c) => c.type === 'text');
  return block?.text !== undefined ? String(block.text) : undefined;
}

/** The outcome line of a forwarded call: ok, or the error the tool reported, with a preview of the result. */
function recordOutcome(run: CallRun, result: Record<string, unknown>): void {
  const error = result.isError ? (firstText(result) ?? 'the tool reported an error') : undefined;
  run.appendLine({
    status: error ? 'error' : 'ok',
    durationMs: run.elapsed(),
    ...(error ? { error } : {}),
    resultPreview: resultPreview(result),
  });
}

export async function runToolCall(
  deps: ToolCallDeps,
  call: ResolvedCall,
  rawArgs: Record<string, unknown> | undefined,
  opts: ForwardOptions,
): Promise<ToolCallResult> {
  if (nestedDeeperThan(rawArgs ?? {}, MAX_ARGUMENT_DEPTH)) return refuseTooDeep(deps, call);
  // The arguments are parsed once and frozen: the object checked (and shown to a person) is the object forwarded.
  const args = deepFreeze(rawArgs ?? {});
  const run = new CallRun(deps.recorder, call, args);
  let decision = deps.decide(call, args, run.started);

  // The pause, a changed definition and the tripwire need a person's answer to this very call: only a late approval of
  // these exact arguments passes them, never one for N minutes or any arguments.
  if (decision.decision === 'approve') {
    const remembered = deps.approvals.takeRemembered(
      { grant: call.grant, server: call.server, tool: call.tool, argsHash: run.hash },
      decision.override !== undefined,
    );
    if (remembered) {
      const how = remembered.kind === 'late' ? 'a late approval' : 'a temporary approval';
      decision = {
        ...decision,
        decision: 'allow',
        status: 'allowed',
        reason: `${decision.reason}; passed by ${how} from ${remembered.approvedBy}`,
      };
    }
  }

  const denied = DENIED_STATUS[decision.status];
  if (denied) return refuse(run, decision, denied);
  if (decision.decision === 'allow') {
    // Decide and charge with no await in between: concurrent calls can never exceed a limit. Limits the team shares
    // are checked and charged atomically on its Redis: only then is there an await (call-charge.ts).
    const charging = chargeCall(deps, call, args, decision, run.started);
    const charged = charging instanceof Promise ? await charging : charging;
    if (!charged.ok) return refuse(run, charged.decision, charged.status);
    if (!run.writeDecision(charged.decision, 'pending', true))
      return logFailure(call.exposedName, decision.rule);
    return forward(deps, run, opts);
  }

  // A person must approve: the decision line says so before anyone is asked.
  if (!run.writeDecision(decision, 'pending', false)) return logFailure(call.exposedName, decision.rule);
  const timeoutSeconds = deps.approvalTimeoutSeconds();
  const outcome = await waitForPerson(deps, run, decision, timeoutSeconds, opts);
  return release(deps, run, decision, outcome, opts);
}

/** A refused call: its decision line, then the refusal the agent reads. */
function refuse(run: CallRun, decision: Decision, status: CallStatus): ToolCallResult {
  if (!run.writeDecision(decision, status, false)) return logFailure(run.call.exposedName, decision.rule);
  return refusal(run, decision, status);
}

/**
 * Arguments too deep to walk are refused, and recorded without them: as the policy's denial when it denies the tool
 * outright, else as invalid arguments (the reason says why).
 */
function refuseTooDeep(deps: ToolCallDeps, call: ResolvedCall): ToolCallResult {
  const none = Object.freeze({});
  const run = new CallRun(deps.recorder, call, none);
  const policy = deps.decide(call, none, run.started);
  const decision: Decision =
    policy.status === 'denied'
      ? policy
      : {
          decision: 'deny',
          status: 'invalid_args',
          rule: 'argument depth',
          reason: `the arguments are nested more than ${MAX_ARGUMENT_DEPTH} levels deep (not recorded)`,
          charges: [],
        };
  return refuse(run, decision, decision.status === 'denied' ? 'denied' : 'invalid_args');
}

async function waitForPerson(
  deps: ToolCallDeps,
  run: CallRun,
  decision: Decision,
  timeoutSeconds: number,
  opts: ForwardOptions,
): Promise<ApprovalOutcome> {
  const { description, risk } = deps.describeTool(run.call.server, run.call.tool);
  let asking: AbortController | undefined;
  let stopListening: (() => void) | undefined;
  const ticker = opts.onProgress
    ? setInterval(() => {
        const waited = Math.round(run.elapsed() / 1000);
        opts.onProgress?.({
          progress: waited,
          total: timeoutSeconds,
          message: `waiting for a person to approve in Gatehouse (${waited} s of ${timeoutSeconds} s)`,
        });
      }, WAITING_PROGRESS_MS)
    : undefined;
  try {
    return await deps.approvals.wait(
      {
        grant: run.call.grant,
        server: run.call.server,
        tool: run.call.tool,
        exposedName: run.call.exposedName,
        arguments: run.args as Record<string, unknown>,
        reason: decision.reason,
        risk,
        ...(description !== undefined ? { description } : {}),
        argsHash: run.hash,
      },
      timeoutSeconds,
      opts.signal,
      (approval) => {
        if (decision.override === 'pause') stopListening = releaseOnResume(deps, run, approval.id);
        // Only the agent's client would be asked: it must never answer for the pause, a pin or the tripwire.
        if (decision.override !== undefined) return;
        const client = deps.inClient(run.call.session, risk);
        if (run.call.requestId === undefined || !client) return;
        const stop = new AbortController();
        asking = stop;
        void askInClient(client, approval, run.call.requestId, stop.signal).then((answer) => {
          if (answer) deps.approvals.answer(approval.id, { decision: answer }, IN_CLIENT);
        });
      },
    );
  } finally {
    clearInterval(ticker);
    asking?.abort();
    stopListening?.();
  }
}

/** Who answers a call that only the pause held, when Gatehouse is resumed. */
const RESUMED: Answerer = { who: 'Gatehouse', via: 'resume' };

/**
 * A call held only by the pause goes on when Gatehouse is resumed, if nothing else holds it now: the release then
 * decides it again (allowed, it is forwarded; denied, it is refused). A call the policy itself sends to a person, or
 * that a pin or the tripwire holds, keeps waiting for a person.
 */
function releaseOnResume(deps: ToolCallDeps, run: CallRun, approvalId: string): () => void {
  return deps.onResume(() => {
    const now = deps.decide(run.call, run.args, deps.recorder.clock());
    if (now.decision === 'approve') return;
    deps.approvals.answer(approvalId, { decision: 'approve' }, RESUMED);
  });
}

async function release(
  deps: ToolCallDeps,
  run: CallRun,
  asked: Decision,
  outcome: ApprovalOutcome,
  opts: ForwardOptions,
): Promise<ToolCallResult> {
  const durationMs = run.elapsed();
  switch (outcome.kind) {
    case 'denied': {
      const reason = `rejected by ${answeredBy(outcome.by)}`;
      run.appendLine({
        status: 'rejected',
        durationMs,
        reason,
        approval: { decision: 'deny', ...noteOf(outcome.by), at: outcome.at },
      });
      return refusal(run, { ...asked, decision: 'deny' }, 'rejected', reason);
    }
    case 'timed_out': {
      const minutes = LATE_APPROVAL_MS / 60_000;
      const reason = `approval timed out after ${outcome.afterSeconds} s — if a person approves it in Gatehouse within ${minutes} minutes, an identical retry will pass`;
      run.appendLine({ status: 'timed_out', durationMs, reason });
      return refusal(run, { ...asked, decision: 'deny' }, 'timed_out', reason);
    }
    case 'cancelled': {
      const reason = 'the client cancelled the call while it waited for approval';
      run.appendLine({ status: 'error', durationMs, error: reason });
      return refusal(run, { ...asked, decision: 'deny' }, 'error', reason);
    }
    case 'overflow': {
      run.appendLine({ status: 'denied', durationMs, reason: outcome.reason });
      return refusal(run, { ...asked, decision: 'deny' }, 'denied', outcome.reason);
    }
    case 'shutdown': {
      const reason = 'Gatehouse stopped before anyone answered the approval; the call was not run';
      run.appendLine({ status: 'error', durationMs, error: reason });
      return refusal(run, { ...asked, decision: 'deny' }, 'error', reason);
    }
    case 'approved': {
      if (asked.override === 'pin') deps.acceptPin(run.call.server, run.call.tool);
      // Release: decide again with the policy, pause and counters of this moment, and charge — no await in between.
      const now = deps.recorder.clock();
      const again = deps.decide(run.call, run.args, now);
      const approval = {
        decision: 'approve' as const,
        ...noteOf(outcome.by),
        at: outcome.at,
        remember: outcome.answer.remember ?? 'once',
      };
      const denied = DENIED_STATUS[again.status];
      const charging = denied
        ? { ok: false as const, decision: again, status: denied }
        : chargeCall(deps, run.call, run.args, again, now);
      const charged = charging instanceof Promise ? await charging : charging;
      if (!charged.ok) {
        const reason = `approved by ${answeredBy(outcome.by)}, but at release: ${charged.decision.reason}`;
        run.appendLine({ status: charged.status, durationMs, reason, approval });
        return refusal(run, charged.decision, charged.status, reason);
      }
      const charges = recordedCharges(charged.decision.charges);
      if (!run.appendLine({ status: 'pending', approval, ...(charges.length ? { charges } : {}) })) {
        return logFailure(run.call.exposedName, again.rule);
      }
      return forward(deps, run, opts);
    }
  }
}

async function forward(deps: ToolCallDeps, run: CallRun, opts: ForwardOptions): Promise<ToolCallResult> {
  try {
    const result = await deps.forward(run.call, run.args as Record<string, unknown>, opts);
    // Only a call run as a task may answer with one; any other answer is the tool's result.
    if (run.call.taskId !== undefined && isTaskCreation(result)) {
      const adopted = deps.adoptTask(run.call.taskId, result, (final) => recordOutcome(run, final));
      run.appendLine({
        status: 'ok',
        durationMs: run.elapsed(),
        resultPreview: `task ${adopted.task.taskId} created (${adopted.task.status}); its result is recorded when a client fetches it`,
      });
      return adopted;
    }
    recordOutcome(run, result);
    return result;
  } catch (err) {
    run.appendLine({ status: 'error', durationMs: run.elapsed(), error: (err as Error).message });
    // A JSON-RPC error from the upstream passes through as it is; anything else becomes a tool error the agent can read.
    if (
      err instanceof McpError &&
      err.code !== ErrorCode.ConnectionClosed &&
      err.code !== ErrorCode.RequestTimeout
    )
      throw err;
    return couldNotComplete(run.call.exposedName, err);
  }
}

/** A failure the agent reads as a tool error: the call did not complete, and why. */
export function couldNotComplete(exposedName: string, err: unknown): CallToolResult {
  const why = err instanceof Error ? err.message : String(err);
  return {
    isError: true,
    content: [{ type: 'text', text: `Gatehouse could not complete ${exposedName}: ${why}` }],
  };
}
