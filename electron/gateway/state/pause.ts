// The pause switch: while paused, every call that the policy does not deny goes to approval or is denied
// (settings.json `pauseMode`). It is kept in state/pause.json so that a restart does not quietly resume.
import { z } from 'zod';
import { parseJsonFile, readTextIfExists, writeFileAtomic } from '../home/files.js';
import type { Decision } from '../policy/types.js';

export const PauseFile = z.object({ paused: z.boolean(), since: z.string().optional() });
export type PauseFile = z.infer<typeof PauseFile>;

export function readPause(file: string): PauseFile {
  const text = readTextIfExists(file);
  if (text === undefined) return { paused: false };
  const parsed = PauseFile.safeParse(parseJsonFile(file, text));
  // An unreadable pause file fails closed: paused.
  return parsed.success ? parsed.data : { paused: true, since: new Date().toISOString() };
}

export function writePause(file: string, state: PauseFile): void {
  writeFileAtomic(file, `${JSON.stringify(state)}\n`, 0o600);
}

export const PAUSE_RULE = 'pause';

/** Applies the pause to a decision: a deny stays a deny; anything else is sent to approval or denied. */
export function applyPause(decision: Decision, paused: boolean, mode: 'approve' | 'deny'): Decision {
  if (!paused || decision.decision === 'deny') return decision;
  if (mode === 'deny') {
    return {
      ...decision,
      decision: 'deny',
      status: 'denied',
      rule: PAUSE_RULE,
      reason: 'Gatehouse is paused: every call is denied until the user resumes it',
    };
  }
  return {
    ...decision,
    decision: 'approve',
    status: 'approval_required',
    rule: PAUSE_RULE,
    reason: 'Gatehouse is paused: every call needs a person’s approval until the user resumes it',
  };
}
