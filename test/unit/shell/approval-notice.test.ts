// The browser's notification of a new approval (renderer/src/lib/approval-notice.ts), the tray's stand-in for
// `gatehouse serve`: what it says, and when it is raised.
import { describe, expect, it } from 'vitest';
import type { PendingApproval } from '../../../shared/api/approvals';
import { approvalNotice, noticeFor } from '../../../renderer/src/lib/approval-notice';

const approval: PendingApproval = {
  id: 'a1',
  grant: 'cursor\u202e',
  server: 'fs',
  tool: 'delete_file',
  exposedName: 'fs__delete_file',
  arguments: {},
  reason: 'rule "delete_*" asks for approval',
  risk: { category: 'destructive', level: 'high', reasons: [] },
  createdAt: '2026-12-07T10:00:00.000Z',
  expiresAt: '2026-12-07T10:00:50.000Z',
};
const now = Date.parse('2026-12-07T10:00:08.000Z');

describe('approval notice', () => {
  it('names the client (with hidden characters shown), the tool, the client’s wait and why', () => {
    const notice = approvalNotice(approval, now);
    expect(notice.title).toMatch(/^cursor.+ wants fs \/ delete_file$/);
    expect(notice.title).not.toContain('\u202e');
    expect(notice.body).toBe('The client waits 42 s more. rule "delete_*" asks for approval');
    expect(notice.tag).toBe('gatehouse-approval-a1');
    expect(approvalNotice(approval, now + 60_000).body).toMatch(/^The client stopped waiting\./);
  });

  it('is raised once per new approval, and only with the person’s permission', () => {
    expect(noticeFor({ state: 'pending', approval }, 'granted', new Set(), now)?.id).toBe('a1');
    expect(noticeFor({ state: 'pending', approval }, 'granted', new Set(['a1']), now)).toBeUndefined();
    expect(noticeFor({ state: 'pending', approval }, 'default', new Set(), now)).toBeUndefined();
    expect(noticeFor({ state: 'pending', approval }, 'denied', new Set(), now)).toBeUndefined();
    expect(noticeFor({ state: 'resolved', approval }, 'granted', new Set(), now)).toBeUndefined();
  });
});
