// How a call's state is named and colored in the dashboard: one word per state, never color alone.
import type { CallRecord, CallStatus } from '../../../shared/call-record';

type StatusTone = 'ok' | 'deny' | 'warn' | 'wait' | 'error' | 'neutral';

export interface StatusLabel {
  word: string;
  tone: StatusTone;
  /** A longer explanation (the badge's accessible description). */
  title: string;
}

export function statusLabel(call: Pick<CallRecord, 'status' | 'decision'>): StatusLabel {
  switch (call.status) {
    case 'pending':
      return call.decision === 'approve'
        ? { word: 'waiting', tone: 'wait', title: 'waiting for a person to approve or deny it' }
        : {
            word: 'running',
            tone: 'neutral',
            title: 'allowed and forwarded; the upstream has not answered yet',
          };
    case 'ok':
      return call.decision === 'approve'
        ? { word: 'approved', tone: 'ok', title: 'approved by a person, and the upstream answered' }
        : { word: 'allowed', tone: 'ok', title: 'allowed by the policy, and the upstream answered' };
    case 'denied':
      return { word: 'denied', tone: 'deny', title: 'denied by the policy' };
    case 'rate_limited':
      return { word: 'rate-limited', tone: 'warn', title: 'refused: a rate limit was reached' };
    case 'invalid_args':
      return { word: 'bad arguments', tone: 'deny', title: 'refused: the arguments broke an argument rule' };
    case 'rejected':
      return { word: 'rejected', tone: 'deny', title: 'a person denied it' };
    case 'timed_out':
      return {
        word: 'timed out',
        tone: 'warn',
        title: 'nobody answered the approval before the client stopped waiting',
      };
    case 'error':
      return {
        word: 'error',
        tone: 'error',
        title: 'forwarded, and the upstream answered with an error or failed',
      };
  }
}

const WOULD_WORD: Record<NonNullable<CallRecord['monitored']>['status'], [string, string]> = {
  allowed: ['would have been allowed', 'would allow'],
  approval_required: ['would have been asked', 'would ask'],
  denied: ['would have been denied', 'would deny'],
  rate_limited: ['would have been rate-limited', 'would limit'],
  invalid_args: ['would have been refused (arguments)', 'would refuse'],
};

export interface MonitoredLabel extends StatusLabel {
  /** The word where room is short (a row of Live calls). */
  short: string;
}

/** What a watched rule (monitor) would have done with the call, had it been enforced; undefined for other calls. */
export function monitoredLabel(call: Pick<CallRecord, 'monitored'>): MonitoredLabel | undefined {
  const note = call.monitored;
  if (!note) return undefined;
  const [word, short] = WOULD_WORD[note.status];
  return {
    word,
    short,
    tone: note.status === 'allowed' ? 'neutral' : note.status === 'approval_required' ? 'wait' : 'deny',
    title: `watched rule, not enforced: ${word} by ${note.rule} (${note.reason})`,
  };
}

/** The status filter's choices: what a user looks for, each a set of call statuses. */
export const STATUS_FILTERS: readonly { value: string; label: string; statuses: CallStatus[] }[] = [
  { value: '', label: 'Any status', statuses: [] },
  { value: 'ok', label: 'Allowed / approved', statuses: ['ok'] },
  { value: 'denied', label: 'Denied', statuses: ['denied', 'invalid_args'] },
  { value: 'rate_limited', label: 'Rate-limited', statuses: ['rate_limited'] },
  { value: 'pending', label: 'Waiting / running', statuses: ['pending'] },
  { value: 'rejected', label: 'Rejected', statuses: ['rejected'] },
  { value: 'timed_out', label: 'Timed out', statuses: ['timed_out'] },
  { value: 'error', label: 'Error', statuses: ['error'] },
];

export function statusesOf(filterValue: string): CallStatus[] {
  return STATUS_FILTERS.find((f) => f.value === filterValue)?.statuses ?? [];
}
