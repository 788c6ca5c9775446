// The policy of resources, prompts, completion, sampling and elicitation: one guard for every use of a capability.
// Each use is decided (policy, pause, tripwire), logged like a tool call (its method as the tool), and forwarded
// only when allowed — after a person's approval where the policy asks for one.
import { answeredBy, noteOf } from '../approvals/answerer.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ServerCapability } from '../../../shared/policy.js';
import type { ApprovalService } from '../approvals/service.js';
import { CallRun, type CallRecorder } from './call-run.js';
import type { CallDecider } from './call-decider.js';

/** The record's status for each way an approval can end without a yes. */
const CAPABILITY_STATUS = {
  denied: 'rejected',
  timed_out: 'timed_out',
  overflow: 'denied',
  cancelled: 'error',
  shutdown: 'error',
} as const;

export interface CapabilityUse {
  grant: string;
  session: string;
  server: string;
  capability: ServerCapability;
  /** e.g. `resources/read`. */
  method: string;
  /** What is used: a resource URI, a prompt's exposed name. */
  target: string;
  params: Record<string, unknown>;
  signal?: AbortSignal;
}

function capabilityDenied(method: string, target: string, reason: string): McpError {
  return new McpError(ErrorCode.InvalidRequest, `Gatehouse denied ${method} ${target}: ${reason}`);
}

export interface CapabilityGuardDeps {
  recorder: CallRecorder;
  decider: CallDecider;
  approvals: ApprovalService;
}

export async function guardCapability<T>(
  deps: CapabilityGuardDeps,
  use: CapabilityUse,
  forward: () => Promise<T>,
): Promise<T> {
  const run = new CallRun(
    deps.recorder,
    { grant: use.grant, session: use.session, server: use.server, tool: use.method, exposedName: use.target },
    Object.freeze({ ...use.params }),
  );
  const decision = deps.decider.capability(use);
  if (decision.decision === 'deny') {
    run.writeDecision(decision, 'denied', false);
    throw capabilityDenied(use.method, use.target, decision.reason);
  }
  if (!run.writeDecision(decision, 'pending', false)) {
    throw capabilityDenied(use.method, use.target, 'the call log cannot be written');
  }
  if (decision.decision === 'approve') {
    const outcome = await deps.approvals.wait(
      {
        grant: use.grant,
        server: use.server,
        tool: use.method,
        exposedName: `${use.server} ${use.method} ${use.target}`,
        arguments: use.params,
        reason: decision.reason,
        risk: { category: use.capability, level: 'medium', reasons: [`${use.method} on ${use.target}`] },
        argsHash: run.hash,
      },
      deps.decider.approvalTimeoutSeconds(),
      use.signal,
    );
    if (outcome.kind !== 'approved') {
      const reason =
        outcome.kind === 'denied'
          ? `rejected by ${answeredBy(outcome.by)}`
          : outcome.kind === 'timed_out'
            ? `approval timed out after ${outcome.afterSeconds} s`
            : outcome.kind === 'overflow'
              ? outcome.reason
              : 'nobody answered the approval';
      run.appendLine({
        status: CAPABILITY_STATUS[outcome.kind],
        durationMs: run.elapsed(),
        reason,
      });
      throw capabilityDenied(use.method, use.target, reason);
    }
    run.appendLine({
      status: 'pending',
      approval: { decision: 'approve', ...noteOf(outcome.by), at: outcome.at },
    });
  }
  try {
    const result = await forward();
    run.appendLine({ status: 'ok', durationMs: run.elapsed() });
    return result;
  } catch (err) {
    run.appendLine({ status: 'error', durationMs: run.elapsed(), error: (err as Error).message });
    throw err;
  }
}
