// Getting into the dashboard: the one-time code in the URL fragment (#login=CODE) is exchanged for a session token,
// kept in sessionStorage (gone when the tab closes), and the fragment is removed from the address bar and history.
export const TOKEN_KEY = 'gatehouse.dashboardToken';

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

export function writeToken(storage: TokenStorage, token: string | undefined): void {
  try {
    if (token === undefined) storage.removeItem(TOKEN_KEY);
    else storage.setItem(TOKEN_KEY, token);
  } catch {
    // See readToken: the in-memory copy held by the app still works.
  }
}
