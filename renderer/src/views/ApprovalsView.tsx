// Approvals: the calls waiting for a person, the one whose client stops waiting first on top.
import type { Approvals } from '../hooks/useApprovals';
import { ApprovalCard } from '../components/ApprovalCard';
import { EmptyState } from '../components/EmptyState';
import { useNotificationPermission } from '../hooks/useApprovalNotifications';

/** Asks for browser notifications only when the person clicks for them, and says what came of it. */
function NotifyButton() {
  const { permission, request } = useNotificationPermission();
  if (permission === 'unsupported') return null;
  if (permission === 'granted') {
    return <p className="muted notify-state">Notifications of new approvals are on.</p>;
  }
  if (permission === 'denied') {
    return (
      <p className="muted notify-state">
        This browser blocks Gatehouse&apos;s notifications: allow them in the site&apos;s settings to be told
        of new approvals.
      </p>
    );
  }
  return (
    <button type="button" className="secondary notify-button" onClick={() => void request()}>
      Notify me of approvals
    </button>
  );
}

export function ApprovalsView({ approvals }: { approvals: Approvals }) {
  return (
    <div className="view approvals-view">
      <div className="view-head">
        <h1>Approvals</h1>
        <p className="muted" role="status" aria-live="polite">
          {approvals.loaded ? `${approvals.pending.length} waiting` : 'Loading…'}
        </p>
        <NotifyButton />
      </div>
      {approvals.error && (
        <p className="error-banner" role="alert">
          The approval queue could not be read: {approvals.error}
        </p>
      )}
      {approvals.loaded && approvals.pending.length === 0 ? (
        <EmptyState title="Nothing waiting for you">
          <p>
            When the policy says a tool needs a person (<code>&quot;action&quot;: &quot;approve&quot;</code>),
            the agent&apos;s call waits here until you approve or deny it. The client only waits so long (50 s
            by default, <code>approvalTimeoutSeconds</code> in <code>policy.json</code>), so each card shows
            the time left.
          </p>
          <p>
            The starter policy asks for everything (<code>&quot;default&quot;: &quot;approve&quot;</code>);
            add rules that allow what you trust and keep approval for what you want to see first.
          </p>
        </EmptyState>
      ) : (
        <div className="approval-queue">
          {approvals.pending.map((approval) => (
            <ApprovalCard key={approval.id} approval={approval} onAnswer={approvals.answer} />
          ))}
        </div>
      )}
    </div>
  );
}
