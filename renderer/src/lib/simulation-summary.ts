// What a draft policy replayed over the call log comes to, in a sentence: "this draft would have denied 12 calls and
// asked for 30 of the last 7 days". Pure.
import type { OperationOutput } from '../../../shared/api/operations';
import { plural } from './format';

type Simulation = OperationOutput<'simulatePolicy'>;
type Outcome = Simulation['changed'][number]['would'];

/** The periods a simulation looks back over: the `since` sent, and how the sentence names it. */
export const SIMULATION_PERIODS: readonly { since: string; words: string }[] = [
  { since: '24h', words: 'the last 24 hours' },
  { since: '7d', words: 'the last 7 days' },
  { since: '30d', words: 'the last 30 days' },
];

/** An outcome as the changed calls' table says it. */
export const OUTCOME_WORD: Record<Outcome, string> = {
  allow: 'allowed',
  approve: 'asked',
  deny: 'denied',
  rate_limited: 'rate-limited',
  invalid_args: 'bad arguments',
  unknown: 'unknown',
};

const REFUSED = new Set<Outcome>(['deny', 'rate_limited', 'invalid_args']);

export function simulationSummary(simulation: Simulation, period: string): string {
  const { changed, total } = simulation;
  if (total === 0) return `No tool call was recorded in ${period}: there is nothing to replay.`;
  if (changed.length === 0)
    return `This draft would have decided each of the ${plural(total, 'call')} of ${period} as it was decided.`;
  const count = (test: (would: Outcome) => boolean) => changed.filter((c) => test(c.would)).length;
  const parts = (
    [
      ['denied', count((w) => REFUSED.has(w)), ''],
      ['asked for', count((w) => w === 'approve'), ''],
      ['let', count((w) => w === 'allow'), ' through that the policy stopped'],
      ['could not tell for', count((w) => w === 'unknown'), ''],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([verb, n, after], i) => `${verb} ${i === 0 ? plural(n, 'call') : n}${after}`);
  const list =
    parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `This draft would have ${list} of ${period} (${changed.length} of the ${plural(total, 'call')} replayed change).`;
}
