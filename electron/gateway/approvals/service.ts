// Approvals, end to end: the queue of waiting calls, the answers a person gives (with what they remember),
// and the remembered approvals a later call may use.
import { answeredBy, type Answerer } from './answerer.js';
import type { ApprovalAnswer, PendingApproval } from '../../../shared/api/approvals.js';
import type { Rule } from '../../../shared/policy.js';
import { ApprovalQueue, type AnswerResult, type ApprovalOutcome, type ApprovalRequest } from './queue.js';
import {
  LATE_APPROVAL_MS,
  RememberedApprovals,
  type CallIdentity,
  type RememberedApproval,
} from './remembered.js';
import { writeAlwaysAllow } from './always-allow.js';

export interface ApprovalServiceDeps {
  clock: () => number;
  stateFile?: string;
  policyFile: string;
  /** The rule that decides (server, tool) now, as written in policy.json (for "always allow" to keep its args, limits). */
  decidingRule: (grant: string, server: string, tool: string) => Rule | undefined;
  reloadPolicy: () => boolean;
  onPending: (approval: PendingApproval) => void;
  onResolved: (approval: PendingApproval, outcome: string) => void;
  diagnostics: (line: string) => void;
}

export class ApprovalService {
  readonly queue: ApprovalQueue;
  readonly remembered: RememberedApprovals;

  constructor(private readonly deps: ApprovalServiceDeps) {
    this.queue = new ApprovalQueue(deps.clock, { pending: deps.onPending, resolved: deps.onResolved });
    this.remembered = new RememberedApprovals(deps.stateFile, deps.clock, deps.diagnostics);
  }

  wait(
    request: ApprovalRequest,
    timeoutSeconds: number,
    signal?: AbortSignal,
    onQueued?: (approval: PendingApproval) => void,
  ): Promise<ApprovalOutcome> {
    return this.queue.wait(request, timeoutSeconds, signal, onQueued);
  }

  /**
   * A remembered approval covering this call (a late one is used up). `freshOnly`: the call needs a person's answer
   * to this very call (the pause, a changed definition, the tripwire) — only a late approval of these exact arguments
   * counts, never one for N minutes or any arguments.
   */
  takeRemembered(call: CallIdentity, freshOnly = false): RememberedApproval | undefined {
    return this.remembered.take(call, freshOnly ? 'late' : undefined);
  }

  list(): PendingApproval[] {
    return this.queue.list();
  }

  /** A person's answer, with its side effects: remember for N minutes, always allow, or a late approval. */
  answer(id: string, answer: ApprovalAnswer, by: Answerer): AnswerResult {
    const result = this.queue.answer(id, answer, by);
    if (!result.ok || answer.decision !== 'approve') return result;
    const { approval, argsHash } = result.entry;
    const now = this.deps.clock();
    const who = { grant: approval.grant, server: approval.server, tool: approval.tool };
    const remember = answer.remember ?? 'once';
    if (remember === 'always' || remember === 'always-all-clients') {
      try {
        writeAlwaysAllow(
          this.deps.policyFile,
          {
            server: approval.server,
            tool: approval.tool,
            // For this client unless every client was asked for: one client's "always" must not widen another's gate.
            ...(remember === 'always' ? { grant: approval.grant } : {}),
          },
          this.deps.decidingRule(approval.grant, approval.server, approval.tool),
        );
        this.deps.reloadPolicy();
      } catch (err) {
        this.deps.diagnostics(
          `"always allow" could not be written to ${this.deps.policyFile}: ${(err as Error).message}`,
        );
      }
    } else if (typeof remember === 'object') {
      this.remembered.add({
        kind: 'temporary',
        ...who,
        ...(remember.sameArguments ? { argsHash } : {}),
        expiresAt: now + remember.minutes * 60_000,
        approvedBy: answeredBy(by),
      });
    }
    if (result.late) {
      // The client stopped waiting: an identical retry within 10 minutes passes, once.
      this.remembered.add({
        kind: 'late',
        ...who,
        argsHash,
        expiresAt: now + LATE_APPROVAL_MS,
        approvedBy: answeredBy(by),
      });
    }
    return result;
  }

  shutdown(): void {
    this.queue.shutdown();
  }
}
