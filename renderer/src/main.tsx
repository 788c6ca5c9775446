// The dashboard's entry point. The one-time login code is taken from the URL fragment and removed from the address
// bar and history before anything renders, so it is never left behind.
import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loginCodeOf } from './lib/login';
import './styles/base.css';
import './styles/calls.css';
import './styles/approvals.css';
import './styles/tools.css';
import './styles/servers.css';
import './styles/clients.css';
import './styles/settings.css';
import './styles/policy.css';

const loginCode = loginCodeOf(window.location.hash);
if (loginCode !== undefined) {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App
        baseUrl={`${window.location.origin}/api`}
        mcpUrl={`${window.location.origin}/mcp`}
        storage={window.localStorage}
        {...(loginCode !== undefined ? { loginCode } : {})}
      />
    </StrictMode>,
  );
}
