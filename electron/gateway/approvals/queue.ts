// Pending approvals: a call that needs a person waits here for its own answer. Many can wait at once.
// After the client stops waiting (timeout or cancel) the approval stays answerable for 10 minutes: approving it then
// leaves a single-use late approval for an identical retry.
import { answeredBy, type Answerer } from './answerer.js';
import crypto from 'node:crypto';
import type { ApprovalAnswer, PendingApproval } from '../../../shared/api/approvals.js';
import { LATE_APPROVAL_MS } from './remembered.js';

export type ApprovalOutcome =
  | { kind: 'approved'; answer: ApprovalAnswer; by: Answerer; at: string }
  | { kind: 'denied'; by: Answerer; at: string }
  | { kind: 'timed_out'; afterSeconds: number }
  | { kind: 'cancelled' }
  | { kind: 'shutdown' }
  /** Too many of this client's calls wait for a person already: refused without asking (memory stays bounded). */
  | { kind: 'overflow'; reason: string };

export interface ApprovalRequest extends Omit<PendingApproval, 'id' | 'createdAt' | 'expiresAt'> {
  argsHash: string;
}

interface Entry {
  approval: PendingApproval;
  argsHash: string;
  /** Set while the client still waits. */
  settle?: (outcome: ApprovalOutcome) => void;
  timer?: NodeJS.Timeout;
  /** When the approval stops being answerable at all (late window over). */
  answerableUntil: number;
  answered: boolean;
}

export type AnswerResult =
  | { ok: true; late: boolean; entry: { approval: PendingApproval; argsHash: string } }
  | { ok: false; status: 404 | 409; message: string };

export interface QueueEvents {
  pending: (approval: PendingApproval) => void;
  resolved: (approval: PendingApproval, outcome: string) => void;
}

/**
 * How many approvals one client (grant) may hold at once, waiting or still answerable late; and all clients together.
 * Past it, the oldest late-answerable ones of that client go first (an identical retry then needs a new answer); when
 * every one still waits, the new call is refused. An agent cannot flood a person, nor the gateway's memory.
 */
export const MAX_APPROVALS_PER_GRANT = 100;
export const MAX_APPROVALS = 1000;

export class ApprovalQueue {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: () => number,
    private readonly events: QueueEvents,
  ) {}

  /** Queues a call and waits for its answer, the timeout, the client's cancel, or the gateway's stop. */
  wait(
    request: ApprovalRequest,
    timeoutSeconds: number,
    signal?: AbortSignal,
    onQueued?: (approval: PendingApproval) => void,
  ): Promise<ApprovalOutcome> {
    const overflow = this.makeRoom(request.grant);
    if (overflow !== undefined) return Promise.resolve({ kind: 'overflow', reason: overflow });
    const now = this.clock();
    const { argsHash, ...shown } = request;
    const approval: PendingApproval = {
      ...shown,
      id: crypto.randomUUID(),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + timeoutSeconds * 1000).toISOString(),
    };
    return new Promise((resolve) => {
      const entry: Entry = {
        approval,
        argsHash,
        answerableUntil: now + timeoutSeconds * 1000 + LATE_APPROVAL_MS,
        answered: false,
      };
      const finish = (outcome: ApprovalOutcome) => {
        if (!entry.settle) return;
        entry.settle = undefined;
        clearTimeout(entry.timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => {
        finish({ kind: 'cancelled' });
        this.events.resolved(approval, 'cancelled by the client (still answerable for 10 minutes)');
      };
      entry.settle = finish;
      entry.timer = setTimeout(() => {
        finish({ kind: 'timed_out', afterSeconds: timeoutSeconds });
        this.events.resolved(approval, 'timed out (still answerable for 10 minutes)');
      }, timeoutSeconds * 1000);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.entries.set(approval.id, entry);
      this.events.pending(approval);
      onQueued?.(approval);
    });
  }

  /**
   * Makes room for one more approval of `grant`: drops the oldest answered or late-answerable entries of that grant
   * (then of all) while over the limits. Why the call must be refused when the waiting ones alone fill them.
   */
  private makeRoom(grant: string): string | undefined {
    this.prune();
    const ofGrant = () => [...this.entries.values()].filter((e) => e.approval.grant === grant);
    const dropOldestIdle = (among: Entry[]) => {
      const idle = among.find((e) => e.settle === undefined);
      if (idle) this.entries.delete(idle.approval.id);
      return idle !== undefined;
    };
    while (ofGrant().length >= MAX_APPROVALS_PER_GRANT) {
      if (!dropOldestIdle(ofGrant())) {
        return `${MAX_APPROVALS_PER_GRANT} calls of client "${grant}" already wait for a person: answer or deny them first`;
      }
    }
    while (this.entries.size >= MAX_APPROVALS) {
      if (!dropOldestIdle([...this.entries.values()])) {
        return `${MAX_APPROVALS} calls already wait for a person: answer or deny them first`;
      }
    }
    return undefined;
  }

  /** Approvals a person can still answer: waiting ones, and for 10 minutes those whose client stopped waiting. */
  list(): PendingApproval[] {
    this.prune();
    return [...this.entries.values()].filter((e) => !e.answered).map((e) => e.approval);
  }

  answer(id: string, answer: ApprovalAnswer, by: Answerer): AnswerResult {
    this.prune();
    const entry = this.entries.get(id);
    if (!entry) return { ok: false, status: 404, message: `no pending approval "${id}"` };
    if (entry.answered) return { ok: false, status: 409, message: `approval "${id}" was already answered` };
    entry.answered = true;
    const at = new Date(this.clock()).toISOString();
    const late = entry.settle === undefined;
    entry.settle?.(
      answer.decision === 'approve' ? { kind: 'approved', answer, by, at } : { kind: 'denied', by, at },
    );
    this.events.resolved(
      entry.approval,
      `${answer.decision === 'approve' ? 'approved' : 'denied'} by ${answeredBy(by)}${late ? ' (late)' : ''}`,
    );
    // Answered entries are kept until their window ends, so a second answer is told 409, not 404.
    return { ok: true, late, entry: { approval: entry.approval, argsHash: entry.argsHash } };
  }

  /** The gateway stops: every waiting call gets a clear answer now. */
  shutdown(): void {
    for (const entry of this.entries.values()) entry.settle?.({ kind: 'shutdown' });
    this.entries.clear();
  }

  private prune(): void {
    const now = this.clock();
    for (const [id, entry] of this.entries) if (entry.answerableUntil < now) this.entries.delete(id);
  }
}
