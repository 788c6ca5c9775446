// Team mode (settings.json `policySource`): the policy comes from the team's URL and is read-only in the dashboard.
import type { PolicySource } from '../../../shared/api/policy-shapes';

/** Why the policy cannot be changed here: the words of the gateway's own 409. */
export function teamPolicyReason(source: PolicySource): string {
  return `The policy comes from the team (${source.url}): change it there`;
}
