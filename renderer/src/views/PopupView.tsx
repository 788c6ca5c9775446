// The tray's approval popup (the shell's window at ?view=popup): only the waiting approvals, newest first, each on the
// dashboard's own card. The window appears without focus; a card answers only once the person has focused the window
// and a second has passed (DESIGN.md §6), so a click or key meant for another window never answers a request.
import { useEffect, useRef, useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import { ApprovalCard } from '../components/ApprovalCard';
import { useApprovals } from '../hooks/useApprovals';
import type { EventStream } from '../hooks/useEventStream';
import { useNow } from '../hooks/useNow';
import { ARMING_MS, cardArmed, popupQueue } from '../lib/popup-queue';

export interface PopupViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

/** Since when the window has had focus; undefined while it has not. */
function useFocusedSince(): number | undefined {
  const [since, setSince] = useState(() => (document.hasFocus() ? Date.now() : undefined));
  useEffect(() => {
    const onFocus = () => setSince(Date.now());
    const onBlur = () => setSince(undefined);
    window.addEventListener('focus', onFocus);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
    };
  }, []);
  return since;
}

export function PopupView({ api, events, onError }: PopupViewProps) {
  const approvals = useApprovals(api, events, onError, 'popup');
  const now = useNow(ARMING_MS / 4);
  const focusedSince = useFocusedSince();
  // When each card first appeared here: a card that has just replaced another is not armed by the older focus.
  const shownSince = useRef(new Map<string, number>());
  const queue = popupQueue(approvals.pending, now);
  for (const approval of queue) {
    if (!shownSince.current.has(approval.id)) shownSince.current.set(approval.id, now);
  }
  const asleep = queue.some((a) => !cardArmed(focusedSince, shownSince.current.get(a.id) ?? now, now));

  return (
    <main className="popup-view" aria-label="Approvals waiting">
      <p className="popup-hint" role="status" aria-live="polite">
        {queue.length === 0
          ? 'Nothing waiting.'
          : asleep
            ? `${queue.length} waiting. Click this window to answer: its buttons work a second later.`
            : `${queue.length} waiting.`}
      </p>
      {approvals.error && (
        <p className="error-banner" role="alert">
          The approval queue could not be read: {approvals.error}
        </p>
      )}
      {queue.map((approval) => {
        const armed = cardArmed(focusedSince, shownSince.current.get(approval.id) ?? now, now);
        return (
          <div key={approval.id} className={`popup-card${armed ? '' : ' is-asleep'}`} inert={!armed}>
            <ApprovalCard approval={approval} onAnswer={approvals.answer} />
          </div>
        );
      })}
    </main>
  );
}
