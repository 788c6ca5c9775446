// The call log's chain in the Live calls header: intact with its head (the full hash to copy and keep elsewhere), or
// an alert naming the first break.
import type { LogHead } from '../../../shared/call-record';
import { chainStatus } from '../lib/log-export';

export function LogChainStatus({ head, error }: { head?: LogHead; error?: string }) {
  if (error) {
    return (
      <p className="log-chain broken" role="alert">
        The call log&apos;s chain could not be read: {error}
      </p>
    );
  }
  if (!head) return null;
  const status = chainStatus(head);
  if (!status.ok) {
    return (
      <p className="log-chain broken" role="alert" data-testid="log-chain">
        {status.text}
      </p>
    );
  }
  return (
    <p className="log-chain muted" data-testid="log-chain">
      <span>{status.text}</span>
      {head.head && (
        <code className="log-chain-head" title={head.head} aria-label="Log chain head hash" tabIndex={0}>
          {head.head}
        </code>
      )}
    </p>
  );
}
