// A call's state as a colored badge that always carries its word (color is never the only signal).
import type { CallRecord } from '../../../shared/call-record';
import { statusLabel } from '../lib/call-status';

export function StatusBadge({ call }: { call: Pick<CallRecord, 'status' | 'decision'> }) {
  const label = statusLabel(call);
  return (
    <span className={`badge tone-${label.tone}`} title={label.title}>
      {label.word}
    </span>
  );
}
