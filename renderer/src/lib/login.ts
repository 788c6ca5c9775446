// Getting into the dashboard: the one-time code in the URL fragment (#login=CODE) is exchanged for a session token,
// kept in localStorage (so a reload or a new tab of the same browser, same gateway origin, stays signed in until
// sign-out or a gateway restart), and the fragment is removed from the address bar and history.
export const TOKEN_KEY = 'gatehouse.dashboardToken';
/** Why the token was last removed, for the other tabs: `signed-out` or `ended` (the gateway answered 401). */
export const ENDED_KEY = 'gatehouse.dashboardEnded';

/** What the sign-in page tells the user: a problem (shown as an alert) or plain news. */
export interface LoginNotice {
  text: string;
  error: boolean;
}

export const SESSION_ENDED: LoginNotice = {
  text: 'Your dashboard session has ended (the gateway restarted or the sign-in expired). Get a new link below.',
  error: true,
};
const SIGNED_OUT: LoginNotice = { text: 'You are signed out.', error: false };
const SIGNED_OUT_ELSEWHERE: LoginNotice = { text: 'You signed out in another tab.', error: false };

type EndReason = 'signed-out' | 'ended';

/** The one-time code of a `#login=CODE` fragment, if any. */
export function loginCodeOf(hash: string): string | undefined {
  const match = /^#?login=([^&]+)/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] as string);
  } catch {
    return match[1];
  }
}

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function readToken(storage: TokenStorage): string | undefined {
  try {
    return storage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    // Storage can be disabled (private modes, policies): the session then lasts as long as the page.
    return undefined;
  }
}

/** Keeps the token, or forgets it (saying why, for the other tabs). */
export function writeToken(storage: TokenStorage, token: string | undefined, why: EndReason = 'ended'): void {
  try {
    if (token !== undefined) {
      storage.setItem(TOKEN_KEY, token);
      return;
    }
    storage.setItem(ENDED_KEY, why);
    storage.removeItem(TOKEN_KEY);
  } catch {
    // See readToken: the in-memory copy held by the app still works.
  }
}

/** The part of a `storage` event this needs (another tab of the same origin changed localStorage). */
export interface TokenChangeEvent {
  key: string | null;
  newValue: string | null;
}

/**
 * What another tab's storage change means for this one: the token it set, or none and what to tell the user (why
 * that tab removed it; `key` null is a `localStorage.clear()`); undefined when the change is about something else.
 */
export function tokenChangeOf(
  event: TokenChangeEvent,
  storage: TokenStorage,
): { token: string } | { token: undefined; notice: LoginNotice } | undefined {
  if (event.key !== null && event.key !== TOKEN_KEY) return undefined;
  if (event.key !== null && event.newValue !== null) return { token: event.newValue };
  let why: string | null = null;
  try {
    why = storage.getItem(ENDED_KEY);
  } catch {
    // See readToken: without storage there is no other tab to follow.
  }
  return { token: undefined, notice: why === 'signed-out' ? SIGNED_OUT_ELSEWHERE : SESSION_ENDED };
}

/**
 * Signs out: ends the token at the gateway, then forgets it here whatever the gateway answered. Returns what to tell
 * the user: that they are signed out, and, when the gateway could not be reached, that the token ends only when it
 * restarts. A 401 means the gateway had already ended it.
 */
export async function signOut(logout: () => Promise<unknown>, storage: TokenStorage): Promise<LoginNotice> {
  let outcome = SIGNED_OUT;
  try {
    await logout();
  } catch (err) {
    if ((err as { status?: number }).status !== 401) {
      outcome = {
        text:
          `You are signed out in this browser, but the gateway could not end the sign-in ` +
          `(${(err as Error).message}): it ends when the gateway restarts.`,
        error: true,
      };
    }
  }
  writeToken(storage, undefined, 'signed-out');
  return outcome;
}
