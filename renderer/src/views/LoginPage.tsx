// Shown without a dashboard session: how to get in. Never a blank screen.
import type { LoginNotice } from '../lib/login';

export interface LoginPageProps {
  /** What just happened: a failed sign-in or an ended session (an alert), a sign-out (news). */
  notice?: LoginNotice;
  /** Shown alone while signing in or out. */
  busy?: string | undefined;
}

export function LoginPage({ notice, busy }: LoginPageProps) {
  return (
    <main className="login-page" aria-labelledby="login-title">
      <h1 id="login-title">Gatehouse dashboard</h1>
      {busy ? (
        <p role="status">{busy}</p>
      ) : (
        <>
          {notice &&
            (notice.error ? (
              <p className="error-banner" role="alert">
                {notice.text}
              </p>
            ) : (
              <p className="login-notice" role="status">
                {notice.text}
              </p>
            ))}
          <p>This page needs a one-time sign-in link from the gateway running on this computer.</p>
          <ul>
            <li>
              If the gateway is running, get a fresh link with <code>gatehouse dashboard</code> and open the
              URL it prints.
            </li>
            <li>
              Starting it? <code>gatehouse serve</code> prints{' '}
              <code>dashboard=http://127.0.0.1:…/#login=…</code> on its ready line: open that URL.
            </li>
            <li>In the Gatehouse app, choose “Open dashboard” in the tray menu.</li>
          </ul>
          <p className="muted">
            Each link works once. Your sign-in is kept by this browser, in every tab of this gateway, until
            you sign out or the gateway restarts; the gateway never puts its token in a URL.
          </p>
        </>
      )}
    </main>
  );
}
