// Charging a call about to be forwarded. Its local limits are charged right as it is decided, with no await in between,
// so concurrent calls never exceed them. Limits the team shares (settings.json `counters`, team/) get one awaited
// atomic check-and-charge on the team's Redis first — only calls that have such limits wait for it — then the call is
// decided again and its local limits charged, again with no await in between.
import type { CallStatus } from '../../../shared/call-record.js';
import type { CounterCharge, Decision } from '../policy/types.js';
import type { SharedCounting } from '../team/shared-counters.js';
import type { CallTarget } from './call-decider.js';

export const DENIED_STATUS: Partial<Record<Decision['status'], CallStatus>> = {
  denied: 'denied',
  rate_limited: 'rate_limited',
  invalid_args: 'invalid_args',
};

export interface CallChargeDeps {
  decide: (call: CallTarget, args: Readonly<Record<string, unknown>>, now: number) => Decision;
  /** Charges this gateway's own counters. */
  charge: (charges: CounterCharge[], now: number) => void;
  shared: SharedCounting;
  recorder: { clock: () => number };
}

/** A call charged (`decision` is what the record says, its charges marked where they were counted), or refused. */
export type Charged =
  { ok: true; decision: Decision } | { ok: false; decision: Decision; status: CallStatus };

/** What a forwarded call is charged: the enforced rule's limits, and a monitored rule's on counters of its own. */
function chargesOf(decision: Decision, charges = decision.charges): CounterCharge[] {
  const watched = decision.monitored?.charges ?? [];
  return watched.length > 0 ? [...charges, ...watched] : charges;
}

/**
 * Charges a call its decision lets through (allowed, or approved by a person): at once when it has no shared limit,
 * else after the team's counters answered (a promise).
 */
export function chargeCall(
  deps: CallChargeDeps,
  call: CallTarget,
  args: Readonly<Record<string, unknown>>,
  decision: Decision,
  now: number,
): Charged | Promise<Charged> {
  const shared = deps.shared.sharedOf(decision.charges);
  if (shared.length === 0) {
    deps.charge(chargesOf(decision), now);
    return { ok: true, decision };
  }
  return chargeShared(deps, call, args, decision, shared);
}

async function chargeShared(
  deps: CallChargeDeps,
  call: CallTarget,
  args: Readonly<Record<string, unknown>>,
  decision: Decision,
  shared: readonly CounterCharge[],
): Promise<Charged> {
  const verdict = await deps.shared.charge(shared);
  if (verdict.kind === 'over') {
    const { reason, retryAfterSeconds } = verdict;
    const limited: Decision = {
      ...decision,
      decision: 'deny',
      status: 'rate_limited',
      reason,
      retryAfterSeconds,
    };
    return { ok: false, decision: limited, status: 'rate_limited' };
  }
  if (verdict.kind === 'unavailable' && verdict.fallback === 'deny') {
    const refused: Decision = { ...decision, decision: 'deny', status: 'denied', reason: verdict.reason };
    return { ok: false, decision: refused, status: 'denied' };
  }
  // Decided again with this moment's counters (others may have charged while Redis answered), and charged at once.
  const now = deps.recorder.clock();
  const again = deps.decide(call, args, now);
  const denied = DENIED_STATUS[again.status];
  // A shared hit already counted for a call refused now stays counted: the team's limit errs on the safe side.
  if (denied) return { ok: false, decision: again, status: denied };
  if (verdict.kind === 'unavailable') {
    // Redis cannot be reached and onUnavailable is "local": every limit is counted here, the shared ones marked so.
    deps.charge(chargesOf(again), now);
    const charges = again.charges.map((c) =>
      shared.some((s) => s.key === c.key) ? { ...c, counted: 'local-fallback' as const } : c,
    );
    return { ok: true, decision: { ...again, charges, reason: `${again.reason}; ${verdict.reason}` } };
  }
  const local = again.charges.filter((c) => !shared.some((s) => s.key === c.key));
  deps.charge(chargesOf(again, local), now);
  const team = shared.map((c) => ({ ...c, counted: 'team' as const }));
  return { ok: true, decision: { ...again, charges: [...team, ...local] } };
}
