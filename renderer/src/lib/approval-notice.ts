// The browser notification of a new approval (the headless gateway's stand-in for the tray's): who asks, for which
// tool, and how long the client still waits. Pure, so what is said and when is tested without a browser.
import type { PendingApproval } from '../../../shared/api/approvals';
import type { EventPayload } from '../../../shared/api/events';
import { escapeToString } from '../../../shared/escape-text';
import { countdown } from './countdown';

export interface ApprovalNotice {
  id: string;
  title: string;
  body: string;
  /** One notification per approval, even when two tabs raise it. */
  tag: string;
}

export function approvalNotice(approval: PendingApproval, now: number): ApprovalNotice {
  const wait = countdown(approval.createdAt, approval.expiresAt, now);
  return {
    id: approval.id,
    // Names and reasons come from clients and servers: invisible and bidi characters are shown, not obeyed.
    title: `${escapeToString(approval.grant)} wants ${escapeToString(approval.server)} / ${escapeToString(approval.tool)}`,
    body: `${wait.expired ? 'The client stopped waiting' : `The client waits ${wait.text} more`}. ${escapeToString(approval.reason)}`,
    tag: `gatehouse-approval-${approval.id}`,
  };
}

/** The notice an approval event calls for: a new approval, once, and only once the person allowed notifications. */
export function noticeFor(
  { state, approval }: EventPayload<'approval'>,
  permission: string,
  notified: ReadonlySet<string>,
  now: number,
): ApprovalNotice | undefined {
  if (state !== 'pending' || permission !== 'granted' || notified.has(approval.id)) return undefined;
  return approvalNotice(approval, now);
}
