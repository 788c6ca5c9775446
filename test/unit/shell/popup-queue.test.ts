// The popup's page (renderer/src/lib/popup-queue.ts): which cards it shows, in which order, and when they answer.
import { describe, expect, it } from 'vitest';
import type { PendingApproval } from '../../../shared/api/approvals';
import { cardArmed, popupQueue } from '../../../renderer/src/lib/popup-queue';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const approval = (id: string, created: number, expires: number): PendingApproval => ({
  id,
  grant: 'agent',
  server: 'ev',
  tool: 'echo',
  exposedName: 'ev__echo',
  arguments: {},
  reason: 'rule',
  risk: { category: 'read', level: 'low', reasons: [] },
  createdAt: at(created),
  expiresAt: at(expires),
});

describe('popup queue', () => {
  it('shows the newest live request first and drops the ones whose client stopped waiting', () => {
    const pending = [approval('old', 0, 50), approval('expired', 5, 20), approval('new', 10, 60)];
    expect(popupQueue(pending, T0 + 15_000).map((a) => a.id)).toEqual(['new', 'expired', 'old']);
    expect(popupQueue(pending, T0 + 20_000).map((a) => a.id)).toEqual(['new', 'old']);
    expect(popupQueue(pending, T0 + 55_000).map((a) => a.id)).toEqual(['new']);
    expect(popupQueue(pending, T0 + 60_000)).toEqual([]);
    expect(pending.map((a) => a.id)).toEqual(['old', 'expired', 'new']);
  });
});

describe('popup arming', () => {
  it('answers only once the window was focused and both focus and card are a second old', () => {
    expect(cardArmed(undefined, T0, T0 + 60_000)).toBe(false);
    expect(cardArmed(T0, T0, T0 + 999)).toBe(false);
    expect(cardArmed(T0, T0, T0 + 1000)).toBe(true);
    // A card that appears under a focused window waits its own second.
    expect(cardArmed(T0, T0 + 5000, T0 + 5500)).toBe(false);
    expect(cardArmed(T0, T0 + 5000, T0 + 6000)).toBe(true);
    // Focus that comes after the card counts from the focus.
    expect(cardArmed(T0 + 9000, T0, T0 + 9500)).toBe(false);
  });
});
