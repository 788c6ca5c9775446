// What the approval popup shows and when its buttons work (DESIGN.md §6): pure, so the rules are tested without a window.
import type { PendingApproval } from '../../../shared/api/approvals';

/** How long the window must have had focus, and a card been on screen, before its buttons answer. */
export const ARMING_MS = 1000;

/** The live requests, newest first: one whose client stopped waiting is gone, never above a live one. */
export function popupQueue(pending: readonly PendingApproval[], now: number): PendingApproval[] {
  return pending
    .filter((a) => Date.parse(a.expiresAt) > now)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/**
 * Whether a card answers: the person focused the window themselves, and both that focus and the card are at least
 * ARMING_MS old — a click or key meant for another window, landing as the popup appears, answers nothing.
 */
export function cardArmed(focusedSince: number | undefined, shownSince: number, now: number): boolean {
  return focusedSince !== undefined && now - Math.max(focusedSince, shownSince) >= ARMING_MS;
}
