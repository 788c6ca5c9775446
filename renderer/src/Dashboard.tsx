// The signed-in dashboard: one event stream, the approval queue (its count shown in the top bar from every view) and
// the current view.
import { useCallback, useEffect, useState } from 'react';
import type { GatehouseApi } from '../../shared/api/operations';
import { NavBar, VIEW_NAMES, type ViewName } from './components/NavBar';
import { useApprovalNotifications } from './hooks/useApprovalNotifications';
import { useApprovals } from './hooks/useApprovals';
import { useEventStream } from './hooks/useEventStream';
import { ApprovalsView } from './views/ApprovalsView';
import { ClientsView } from './views/ClientsView';
import { ConnectView } from './views/ConnectView';
import { LiveCallsView } from './views/LiveCallsView';
import { PolicyView } from './views/PolicyView';
import { PopupView } from './views/PopupView';
import { ServersView } from './views/ServersView';
import { SettingsView } from './views/SettingsView';
import { ToolsView } from './views/ToolsView';

export interface DashboardProps {
  api: GatehouseApi;
  mcpUrl: string;
  onUnauthorized: () => void;
  onSignOut: () => void;
}

function viewOfHash(hash: string): ViewName {
  const name = hash.replace(/^#/, '');
  return (VIEW_NAMES as readonly string[]).includes(name) ? (name as ViewName) : 'calls';
}

export function Dashboard({ api, mcpUrl, onUnauthorized, onSignOut }: DashboardProps) {
  const [view, setView] = useState<ViewName>(() => viewOfHash(window.location.hash));
  const events = useEventStream(api, onUnauthorized);
  const onError = useCallback(
    (err: unknown) => {
      if ((err as { status?: number }).status === 401) onUnauthorized();
    },
    [onUnauthorized],
  );
  const approvals = useApprovals(api, events, onError);

  useEffect(() => {
    const onHash = () => setView(viewOfHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const show = (next: ViewName) => {
    setView(next);
    window.history.replaceState(null, '', `#${next}`);
  };
  useApprovalNotifications(events, () => show('approvals'));

  const count = approvals.pending.length;
  useEffect(() => {
    document.title = count > 0 ? `(${count}) Gatehouse` : 'Gatehouse';
  }, [count]);

  // The tray's approval popup: the queue alone, without the top bar.
  if (new URLSearchParams(window.location.search).get('view') === 'popup') {
    return <PopupView api={api} events={events} onError={onError} />;
  }
  return (
    <div className="app">
      <NavBar
        view={view}
        onView={show}
        pendingCount={count}
        connected={events.connected}
        onSignOut={onSignOut}
      />
      <main className="main">
        {view === 'calls' && <LiveCallsView api={api} events={events} mcpUrl={mcpUrl} onError={onError} />}
        {view === 'approvals' && <ApprovalsView approvals={approvals} />}
        {view === 'tools' && <ToolsView api={api} events={events} onError={onError} />}
        {view === 'servers' && <ServersView api={api} events={events} onError={onError} />}
        {view === 'clients' && <ClientsView api={api} events={events} mcpUrl={mcpUrl} onError={onError} />}
        {view === 'connect' && <ConnectView api={api} events={events} onError={onError} />}
        {view === 'policy' && <PolicyView api={api} events={events} onError={onError} />}
        {view === 'settings' && <SettingsView api={api} events={events} onError={onError} />}
      </main>
    </div>
  );
}
