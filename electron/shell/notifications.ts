// Native notifications: one per new approval. macOS shows Approve and Deny on it (answered `via: 'notification'`);
// elsewhere a click opens the approval popup. A notification goes away when its approval is answered or expires.
import type { NotificationConstructorOptions } from 'electron';
import type { PendingApproval } from '../../shared/api/approvals.js';
import { escapeToString } from '../../shared/escape-text.js';

/** The parts of Electron's Notification the shell uses (a fake in tests). */
export interface NotificationElectron {
  Notification: {
    new (options: NotificationConstructorOptions): ApprovalNotification;
    isSupported(): boolean;
  };
}

interface ApprovalNotification {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'action', listener: (event: unknown, index: number) => void): unknown;
}

/** electron-builder.yml's appId: Windows shows a process's notifications only under the id its shortcut carries. */
export const APP_USER_MODEL_ID = 'dev.gatehouse.app';

export type Decision = 'approve' | 'deny';

/** The actions' order on the notification: index 0 approves, 1 denies. */
const ACTIONS: Decision[] = ['approve', 'deny'];

export function notificationOptions(
  approval: PendingApproval,
  platform: NodeJS.Platform,
  now: number,
): NotificationConstructorOptions {
  const seconds = Math.max(0, Math.round((Date.parse(approval.expiresAt) - now) / 1000));
  return {
    // Names and reasons come from clients and servers: invisible and bidi characters are shown, not obeyed.
    title: `${escapeToString(approval.grant)} wants ${escapeToString(approval.server)} / ${escapeToString(approval.tool)}`,
    body: `${escapeToString(approval.reason)} — the client waits ${seconds} s more.`,
    urgency: 'critical',
    timeoutType: 'never',
    ...(platform === 'darwin'
      ? {
          actions: [
            { type: 'button', text: 'Approve once' },
            { type: 'button', text: 'Deny' },
          ],
        }
      : {}),
  };
}

export interface NotifierOptions {
  platform: NodeJS.Platform;
  clock: () => number;
  answer: (id: string, decision: Decision) => void;
  openPopup: () => void;
}

export function createApprovalNotifier(electron: NotificationElectron, options: NotifierOptions) {
  const shown = new Map<string, ApprovalNotification>();
  return {
    added(approval: PendingApproval): void {
      if (shown.has(approval.id) || !electron.Notification.isSupported()) return;
      const note = new electron.Notification(
        notificationOptions(approval, options.platform, options.clock()),
      );
      note.on('click', () => options.openPopup());
      note.on('action', (_event, index) => {
        const decision = ACTIONS[index];
        if (decision) options.answer(approval.id, decision);
      });
      shown.set(approval.id, note);
      note.show();
    },
    resolved(id: string): void {
      shown.get(id)?.close();
      shown.delete(id);
    },
  };
}
