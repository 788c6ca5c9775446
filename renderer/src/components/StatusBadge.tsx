// A call's state as a colored badge that always carries its word (color is never the only signal), and for a call a
// watched rule (monitor) decided, a second, outlined badge with what that rule would have done.
import type { CallRecord } from '../../../shared/call-record';
import { monitoredLabel, statusLabel } from '../lib/call-status';

export interface StatusBadgeProps {
  call: Pick<CallRecord, 'status' | 'decision' | 'monitored'>;
  /** Short words, for a row of Live calls. */
  compact?: boolean;
}

export function StatusBadge({ call, compact = false }: StatusBadgeProps) {
  const label = statusLabel(call);
  const would = monitoredLabel(call);
  return (
    <>
      <span className={`badge tone-${label.tone}`} title={label.title}>
        {label.word}
      </span>
      {would && (
        <span className={`badge monitored-badge tone-${would.tone}`} title={would.title}>
          {compact ? would.short : would.word}
        </span>
      )}
    </>
  );
}
