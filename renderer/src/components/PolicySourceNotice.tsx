// Team mode: where the policy in force comes from — the team's URL (credentials masked), when it was fetched, its
// ETag, and why the last fetch failed while it does — and that it is read-only here.
import type { PolicySource } from '../../../shared/api/policy-shapes';
import { formatTime } from '../lib/format';
import { teamPolicyReason } from '../lib/team-policy';

export function PolicySourceNotice({ source }: { source: PolicySource }) {
  const { fetchedAt, checkedAt, etag, lastError, waiting } = source;
  return (
    <div
      className={`policy-outcome ${lastError !== undefined || waiting ? 'is-warn' : 'is-ok'}`}
      data-testid="policy-source"
    >
      <p>
        {teamPolicyReason(source)}. It is read-only here.
        {source.localOverlay && ' The team lets policy.json on this machine add deny rules.'}
      </p>
      <p className="muted">
        {waiting
          ? 'No team policy has arrived yet: every call is denied until one does.'
          : [
              fetchedAt !== undefined && `Fetched at ${formatTime(fetchedAt)}`,
              etag !== undefined && `ETag ${etag}`,
              checkedAt !== undefined && `last answer at ${formatTime(checkedAt)}`,
            ]
              .filter(Boolean)
              .join(' · ')}
      </p>
      {lastError !== undefined && (
        <p role="alert">
          The last fetch failed: {lastError}.{!waiting && ' The last good team policy stays in force.'}
        </p>
      )}
    </div>
  );
}
