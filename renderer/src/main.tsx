// The dashboard's entry point. In the app's window the preload's bridge (`window.gatehouse`) is the channel and the
// credential: the dashboard shows at once, over IPC. In a browser, the one-time login code is taken from the URL
// fragment and removed from the address bar and history before anything renders, so it is never left behind.
import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIpcClient, type GatehouseBridge } from '../../shared/api/ipc-client';
import { App } from './App';
import { Dashboard } from './Dashboard';
import { loginCodeOf } from './lib/login';
import './styles/base.css';
import './styles/calls.css';
import './styles/approvals.css';
import './styles/tools.css';
import './styles/servers.css';
import './styles/clients.css';
import './styles/settings.css';
import './styles/policy.css';
import './styles/connect.css';

declare global {
  interface Window {
    gatehouse?: GatehouseBridge;
  }
}

function appWindow(bridge: GatehouseBridge) {
  // The gateway's MCP address is not this page's origin (gatehouse://app): the shell passes it in the query.
  const mcpUrl = new URLSearchParams(window.location.search).get('mcp') ?? '';
  const api = createIpcClient(bridge);
  // No session to lose over IPC; "Sign out" closes the window (the tray opens it again).
  return (
    <Dashboard api={api} mcpUrl={mcpUrl} onUnauthorized={() => undefined} onSignOut={() => window.close()} />
  );
}

function browserWindow() {
  const loginCode = loginCodeOf(window.location.hash);
  if (loginCode !== undefined) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return (
    <App
      baseUrl={`${window.location.origin}/api`}
      mcpUrl={`${window.location.origin}/mcp`}
      storage={window.localStorage}
      {...(loginCode !== undefined ? { loginCode } : {})}
    />
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>{window.gatehouse ? appWindow(window.gatehouse) : browserWindow()}</StrictMode>,
  );
}
