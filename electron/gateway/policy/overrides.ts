// What stands above the policy: the pause, a tool whose definition changed since it was pinned, and the tripwire. One
// pure step after decide(): none ever turns a deny into anything else, and a decision they changed says so
// (`override`), so that only a fresh answer from a person can pass it (DESIGN.md §6).
import type { Decision } from './types.js';

type OverrideKind = 'pause' | 'pin' | 'tripwire';

export interface OverrideInputs {
  paused: boolean;
  pauseMode: 'approve' | 'deny';
  /** What changed in the tool's definition since it was pinned (and it is not trusted), if anything. */
  pinChange: string | undefined;
  pinMode: 'hold' | 'deny';
  /** Why the tripwire fires for the call's arguments, if it does: not asked for a call that is denied anyway. */
  tripwire: () => string | undefined;
}

/** The rule named in a record when an override decided. */
const OVERRIDE_RULE: Record<OverrideKind, string> = {
  pause: 'pause',
  pin: 'pin',
  tripwire: 'tripwire',
};

const ask = (decision: Decision, override: OverrideKind, reason: string): Decision => ({
  ...decision,
  decision: 'approve',
  status: 'approval_required',
  rule: OVERRIDE_RULE[override],
  reason,
  override,
});

const refuse = (decision: Decision, override: OverrideKind, reason: string): Decision => ({
  ...decision,
  decision: 'deny',
  status: 'denied',
  rule: OVERRIDE_RULE[override],
  reason,
  override,
});

export function applyOverrides(decision: Decision, inputs: OverrideInputs): Decision {
  if (decision.decision === 'deny') return decision;
  let held = decision;
  if (inputs.paused) {
    if (inputs.pauseMode === 'deny') {
      return refuse(decision, 'pause', 'Gatehouse is paused: every call is denied until the user resumes it');
    }
    held = ask(
      decision,
      'pause',
      'Gatehouse is paused: every call needs a person’s approval until the user resumes it',
    );
  }
  // A changed definition is named even while paused: the person then knows what they approve.
  if (inputs.pinChange !== undefined) {
    return inputs.pinMode === 'deny'
      ? refuse(decision, 'pin', `tool definition changed since it was pinned: ${inputs.pinChange}`)
      : ask(decision, 'pin', `tool definition changed: ${inputs.pinChange}`);
  }
  // The tripwire also marks a call the policy (or the pause) already sends to a person: only a fresh answer passes it.
  const tripped = inputs.tripwire();
  if (tripped === undefined) return held;
  const also = held.decision === 'approve' ? ` (and: ${held.reason})` : '';
  return ask(held, 'tripwire', `tripwire: ${tripped}${also}`);
}
