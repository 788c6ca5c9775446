// The top bar: the views, the pending-approvals badge (visible from every view) and the live connection state.
import type { ReactNode } from 'react';
export type ViewName =
  'calls' | 'approvals' | 'tools' | 'servers' | 'clients' | 'connect' | 'policy' | 'settings';

/** The views a #hash opens (anything else opens Live calls). */
export const VIEW_NAMES: readonly ViewName[] = [
  'calls',
  'approvals',
  'tools',
  'servers',
  'clients',
  'connect',
  'policy',
  'settings',
];

export interface NavBarProps {
  view: ViewName;
  onView: (view: ViewName) => void;
  pendingCount: number;
  connected: boolean;
  /** Ends the session at the gateway and in this browser. */
  onSignOut: () => void | Promise<void>;
}

export function NavBar({ view, onView, pendingCount, connected, onSignOut }: NavBarProps) {
  const link = (name: ViewName, label: string, extra?: ReactNode) => (
    <a
      href={`#${name}`}
      aria-current={view === name ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        onView(name);
      }}
    >
      {label}
      {extra}
    </a>
  );
  return (
    <header className="topbar">
      <span className="brand" aria-hidden="true">
        Gatehouse
      </span>
      <nav aria-label="Dashboard">
        {link('calls', 'Live calls')}
        {link(
          'approvals',
          'Approvals',
          <span
            className={`count-badge${pendingCount > 0 ? ' is-active' : ''}`}
            data-testid="pending-badge"
            aria-label={`${pendingCount} pending`}
          >
            {pendingCount}
          </span>,
        )}
        {link('tools', 'Tools')}
        {link('servers', 'Servers')}
        {link('clients', 'Clients')}
        {link('connect', 'Connect')}
        {link('policy', 'Policy')}
        {link('settings', 'Settings')}
      </nav>
      <span className={`connection ${connected ? 'is-live' : 'is-down'}`} role="status">
        <span className="dot" aria-hidden="true" />
        {connected ? 'Live' : 'Reconnecting…'}
      </span>
      <button type="button" className="secondary small" onClick={() => void onSignOut()}>
        Sign out
      </button>
    </header>
  );
}
