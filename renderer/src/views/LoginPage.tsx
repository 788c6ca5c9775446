// Shown without a dashboard session: how to get in. Never a blank screen.
export interface LoginPageProps {
  /** What just happened: a failed sign-in, an ended session, a sign-out. */
  message?: string;
  /** Shown alone while signing in or out. */
  busy?: string | undefined;
}

export function LoginPage({ message, busy }: LoginPageProps) {
  return (
    <main className="login-page" aria-labelledby="login-title">
      <h1 id="login-title">Gatehouse dashboard</h1>
      {busy ? (
        <p role="status">{busy}</p>
      ) : (
        <>
          {message && (
            <p className="error-banner" role="alert">
              {message}
            </p>
          )}
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
