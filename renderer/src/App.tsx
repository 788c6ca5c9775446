// The dashboard shell: signs in with the one-time code of the URL fragment, then shows the dashboard; without a
// session (or once the gateway answers 401) it shows how to get in.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createClient } from '../../shared/api/client';
import type { ApiRequestError } from '../../shared/api/operations';
import { loginCodeOf, readToken, writeToken, type TokenStorage } from './lib/login';
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
  const [message, setMessage] = useState<string>();
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
        setMessage(undefined);
        setSigningIn(false);
      },
      (err: ApiRequestError) => {
        // A session already open stays open; without one, the sign-in page says what went wrong.
        setMessage(`Sign-in failed: ${err.message}`);
        setSigningIn(false);
      },
    );
  }, [api, loginCode, storage]);

  const onUnauthorized = useCallback(() => {
    writeToken(storage, undefined);
    setToken(undefined);
    setMessage(
      'Your dashboard session has ended (the gateway restarted or the sign-in expired). Get a new link below.',
    );
  }, [storage]);

  const onSignOut = useCallback(() => {
    writeToken(storage, undefined);
    setToken(undefined);
    setMessage(undefined);
  }, [storage]);

  if (!token) return <LoginPage {...(message !== undefined ? { message } : {})} busy={signingIn} />;
  return <Dashboard api={api} mcpUrl={mcpUrl} onUnauthorized={onUnauthorized} onSignOut={onSignOut} />;
}
