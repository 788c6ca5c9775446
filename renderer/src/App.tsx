// The dashboard shell: signs in with the one-time code of the URL fragment, then shows the dashboard; without a
// session (or once the gateway answers 401) it shows how to get in. The session is shared by the browser's tabs of
// this gateway: a sign-in or sign-out in one (the `storage` event) is followed by the others.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createClient } from '../../shared/api/client';
import type { ApiRequestError } from '../../shared/api/operations';
import {
  SESSION_ENDED,
  loginCodeOf,
  readToken,
  signOut,
  tokenChangeOf,
  writeToken,
  type LoginNotice,
  type TokenStorage,
} from './lib/login';
import { Dashboard } from './Dashboard';
import { LoginPage } from './views/LoginPage';

export interface AppProps {
  /** The control API's base URL, e.g. `http://127.0.0.1:7451/api`. */
  baseUrl: string;
  mcpUrl: string;
  storage: TokenStorage;
  /** The one-time code taken from the URL fragment at start (already removed from the address bar). */
  loginCode?: string;
}

export function App({ baseUrl, mcpUrl, storage, loginCode: initialCode }: AppProps) {
  const [loginCode, setLoginCode] = useState(initialCode);
  const [token, setToken] = useState(() => (initialCode ? undefined : readToken(storage)));
  const [signingIn, setSigningIn] = useState(Boolean(initialCode));
  const [signingOut, setSigningOut] = useState(false);
  const [notice, setNotice] = useState<LoginNotice>();
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const getToken = useCallback(() => tokenRef.current, []);
  const api = useMemo(() => createClient({ baseUrl, token: getToken }), [baseUrl, getToken]);

  // A login URL pasted into this open tab changes only the fragment: take its code the same way.
  useEffect(() => {
    const onHash = () => {
      const code = loginCodeOf(window.location.hash);
      if (code === undefined) return;
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      setSigningIn(true);
      setLoginCode(code);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const spent = useRef(new Set<string>());
  useEffect(() => {
    if (!loginCode || spent.current.has(loginCode)) return;
    // Each code is sent once, even when React runs effects twice: a code can be spent only once.
    spent.current.add(loginCode);
    api.login({ code: loginCode }).then(
      ({ token: fresh }) => {
        writeToken(storage, fresh);
        setToken(fresh);
        setNotice(undefined);
        setSigningIn(false);
      },
      (err: ApiRequestError) => {
        // A session already open stays open; without one, the sign-in page says what went wrong.
        setNotice({ text: `Sign-in failed: ${err.message}`, error: true });
        setSigningIn(false);
      },
    );
  }, [api, loginCode, storage]);

  const onUnauthorized = useCallback(() => {
    writeToken(storage, undefined);
    setToken(undefined);
    setNotice(SESSION_ENDED);
  }, [storage]);

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      const change = tokenChangeOf(event, storage);
      if (!change) return;
      setToken(change.token);
      setNotice(change.token === undefined ? change.notice : undefined);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [storage]);

  const onSignOut = useCallback(async () => {
    // The dashboard goes away first, so its event stream does not mistake the ended token for a lost session.
    setSigningOut(true);
    const outcome = await signOut(() => api.logout({}), storage);
    setToken(undefined);
    setNotice(outcome);
    setSigningOut(false);
  }, [api, storage]);

  if (!token || signingOut) {
    return (
      <LoginPage
        {...(notice !== undefined && !signingOut ? { notice } : {})}
        busy={signingIn ? 'Signing in…' : signingOut ? 'Signing out…' : undefined}
      />
    );
  }
  return <Dashboard api={api} mcpUrl={mcpUrl} onUnauthorized={onUnauthorized} onSignOut={onSignOut} />;
}
