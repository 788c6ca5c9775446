// Browser notifications of new approvals, for a dashboard open in a browser (the headless `gatehouse serve`): asked
// for once, on the person's click — never on load — and raised for each new approval; a click shows the Approvals view.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventPayload } from '../../../shared/api/events';
import { noticeFor } from '../lib/approval-notice';
import type { EventStream } from './useEventStream';

type Permission = NotificationPermission | 'unsupported';

/** 'unsupported' also in the app's own window (gatehouse://app/): there the tray raises native notifications. */
const currentPermission = (): Permission =>
  typeof Notification === 'undefined' || window.location.protocol === 'gatehouse:'
    ? 'unsupported'
    : Notification.permission;

/** The permission as it stands, and the request a button makes. */
export function useNotificationPermission() {
  const [permission, setPermission] = useState(currentPermission);
  const request = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  }, []);
  return { permission, request };
}

export function useApprovalNotifications(events: EventStream, onOpen: () => void): void {
  const open = useRef(onOpen);
  open.current = onOpen;
  const { listen } = events;
  useEffect(() => {
    const shown = new Map<string, Notification>();
    const notified = new Set<string>();
    const stop = listen((event) => {
      if (event.type !== 'approval') return;
      const change = event.data as EventPayload<'approval'>;
      if (change.state === 'resolved') {
        shown.get(change.approval.id)?.close();
        shown.delete(change.approval.id);
        return;
      }
      const notice = noticeFor(change, currentPermission(), notified, Date.now());
      if (!notice) return;
      notified.add(notice.id);
      const note = new Notification(notice.title, { body: notice.body, tag: notice.tag });
      note.onclick = () => {
        window.focus();
        open.current();
        note.close();
      };
      shown.set(notice.id, note);
    });
    return () => {
      stop();
      for (const note of shown.values()) note.close();
    };
  }, [listen]);
}
