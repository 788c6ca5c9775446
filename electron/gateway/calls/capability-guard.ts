// The policy of resources, prompts, completion, sampling and elicitation: one guard for every use of a capability.
// Each use is decided (policy, pause, tripwire), logged like a tool call (its method as the tool), and forwarded
// only when allowed — after a person's approval where the policy asks for one.
import { decideCapability } from '../policy/decide.js';
import type { Decision } from '../policy/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ServerCapability } from '../../../shared/policy.js';
import { applyPause } from '../state/pause.js';
import { CallRun } from './call-run.js';
import type { ToolCallDeps } from './tool-call.js';

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

export function capabilityDenied(method: string, target: string, reason: string): McpError {
  return new McpError(ErrorCode.InvalidRequest, `Gatehouse denied ${method} ${target}: ${reason}`);
}

function capabilityDecision(deps: ToolCallDeps, use: CapabilityUse): Decision {
  const { action, rule } = decideCapability(
    use.server,
    use.capability,
    use.grant,
    deps.policy.get().compiled,
  );
  const what = `the ${use.capability} of server "${use.server}"`;
  const base: Decision =
    action === 'deny'
      ? {
          decision: 'deny',
          status: 'denied',
          rule,
          reason: `${what} are denied by the policy (${rule})`,
          charges: [],
        }
      : action === 'approve'
        ? {
            decision: 'approve',
            status: 'approval_required',
            rule,
            reason: `${what} need approval (${rule})`,
            charges: [],
          }
        : {
            decision: 'allow',
            status: 'allowed',
            rule,
            reason: `${what} are allowed (${rule})`,
            charges: [],
          };
  const paused = applyPause(base, deps.paused(), deps.settings().pauseMode);
  if (paused.decision !== 'allow') return paused;
  const tripped = deps.tripwire(use.params);
  return tripped
    ? {
        ...paused,
        decision: 'approve',
        status: 'approval_required',
        rule: 'tripwire',
        reason: `tripwire: ${tripped}`,
      }
    : paused;
}

export function capabilityAction(
  deps: ToolCallDeps,
  server: string,
  capability: ServerCapability,
  grant: string,
) {
  return decideCapability(server, capability, grant, deps.policy.get().compiled).action;
}

export async function guardCapability<T>(
  deps: ToolCallDeps,
  use: CapabilityUse,
  forward: () => Promise<T>,
): Promise<T> {
  const run = new CallRun(
    deps,
    { grant: use.grant, session: use.session, server: use.server, tool: use.method, exposedName: use.target },
    Object.freeze({ ...use.params }),
  );
  const decision = capabilityDecision(deps, use);
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
      deps.policy.get().compiled.policy.approvalTimeoutSeconds,
      use.signal,
    );
    if (outcome.kind !== 'approved') {
      const reason =
        outcome.kind === 'denied'
          ? `rejected by ${outcome.by} in the approval popup`
          : outcome.kind === 'timed_out'
            ? `approval timed out after ${outcome.afterSeconds} s`
            : 'nobody answered the approval';
      run.appendLine({
        status: outcome.kind === 'denied' ? 'rejected' : outcome.kind === 'timed_out' ? 'timed_out' : 'error',
        durationMs: run.elapsed(),
        reason,
      });
      throw capabilityDenied(use.method, use.target, reason);
    }
    run.appendLine({ status: 'pending', approval: { decision: 'approve', by: outcome.by, at: outcome.at } });
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
