// Servers: every upstream of servers.json with its state at a glance — ready, starting, restarting, failed with the
// reason in words — its tool count and the tail of what it wrote to stderr (secrets masked by the gateway); each one
// restarted, enabled or disabled, edited, removed (components/ServerRow.tsx), and new ones added
// (components/ServerForm.tsx).
import type { GatehouseApi } from '../../../shared/api/operations';
import { EmptyState } from '../components/EmptyState';
import { ServerForm } from '../components/ServerForm';
import { ServerRow } from '../components/ServerRow';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';

export interface ServersViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

const CHANGED_BY = ['server', 'tools'] as const;
const ADD = { add: true } as const;

export function ServersView({ api, events, onError }: ServersViewProps) {
  const servers = useLoaded(() => api.listServers({}), events, CHANGED_BY, onError);
  const list = servers.value?.servers ?? [];
  return (
    <div className="view servers-view">
      <div className="view-head">
        <h1>Servers</h1>
        <p className="muted" role="status" aria-live="polite">
          {servers.value ? `${list.length} in servers.json` : 'Loading…'}
        </p>
      </div>
      {servers.error && (
        <p className="error-banner" role="alert">
          The servers could not be read: {servers.error}
        </p>
      )}
      {servers.value && list.length === 0 ? (
        <EmptyState title="No servers yet">
          <p>
            Add the MCP servers your agents should reach through Gatehouse: the form below, or{' '}
            <code>gatehouse server add NAME -- COMMAND</code> or <code>--url URL</code>.
          </p>
        </EmptyState>
      ) : (
        <table className="servers-table">
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">State</th>
              <th scope="col">Tools</th>
              <th scope="col">Last words on stderr</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((server) => (
              <ServerRow
                key={server.name}
                server={server}
                api={api}
                onChanged={servers.reload}
                onError={onError}
              />
            ))}
          </tbody>
        </table>
      )}
      <ServerForm api={api} mode={ADD} onSaved={servers.reload} onError={onError} />
    </div>
  );
}
