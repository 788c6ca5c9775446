import { describe, expect, it } from 'vitest';
import type { NotificationConstructorOptions } from 'electron';
import type { PendingApproval } from '../../../shared/api/approvals.js';
import {
  createApprovalNotifier,
  notificationOptions,
  type NotificationElectron,
} from '../../../electron/shell/notifications.js';

const approval: PendingApproval = {
  id: 'a1',
  grant: 'cursor',
  server: 'fs',
  tool: 'delete_file',
  exposedName: 'fs__delete_file',
  arguments: { path: '/tmp/x' },
  reason: 'rule "delete_*" asks for approval',
  risk: { category: 'destructive', level: 'high', reasons: [] },
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T00:00:50.000Z',
};
const at10s = Date.parse('2026-01-01T00:00:10.000Z');

function fakeNotifications(supported = true) {
  const shown: {
    options: NotificationConstructorOptions;
    closed: boolean;
    fire(e: string, i?: number): void;
  }[] = [];
  const electron: NotificationElectron = {
    Notification: class {
      private readonly listeners = new Map<string, (...args: unknown[]) => void>();
      private readonly entry;
      constructor(options: NotificationConstructorOptions) {
        this.entry = {
          options,
          closed: false,
          fire: (e: string, i?: number) => this.listeners.get(e)?.({}, i),
        };
      }
      static isSupported() {
        return supported;
      }
      show() {
        shown.push(this.entry);
      }
      close() {
        this.entry.closed = true;
      }
      on(event: string, listener: (...args: never[]) => void) {
        this.listeners.set(event, listener as (...args: unknown[]) => void);
        return this;
      }
    },
  };
  return { shown, electron };
}

describe('approval notifications', () => {
  it('name the client, the tool, why, and how long the client still waits', () => {
    expect(notificationOptions(approval, 'linux', at10s)).toEqual({
      title: 'cursor wants fs / delete_file',
      body: 'rule "delete_*" asks for approval — the client waits 40 s more.',
      urgency: 'critical',
      timeoutType: 'never',
    });
    expect(notificationOptions(approval, 'darwin', at10s).actions).toEqual([
      { type: 'button', text: 'Approve once' },
      { type: 'button', text: 'Deny' },
    ]);
  });

  it('answer from macOS actions, open the popup on a click, and go away once resolved', () => {
    const { shown, electron } = fakeNotifications();
    const answers: string[] = [];
    let opened = 0;
    const notifier = createApprovalNotifier(electron, {
      platform: 'darwin',
      clock: () => at10s,
      answer: (id, decision) => answers.push(`${id} ${decision}`),
      openPopup: () => opened++,
    });
    notifier.added(approval);
    notifier.added(approval);
    expect(shown).toHaveLength(1);
    shown[0]?.fire('action', 1);
    shown[0]?.fire('action', 0);
    shown[0]?.fire('click');
    expect(answers).toEqual(['a1 deny', 'a1 approve']);
    expect(opened).toBe(1);
    notifier.resolved('a1');
    expect(shown[0]?.closed).toBe(true);
  });

  it('raise nothing where the platform has no notifications', () => {
    const { shown, electron } = fakeNotifications(false);
    createApprovalNotifier(electron, {
      platform: 'linux',
      clock: () => at10s,
      answer: () => undefined,
      openPopup: () => undefined,
    }).added(approval);
    expect(shown).toHaveLength(0);
  });
});
