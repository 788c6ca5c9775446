// Servers: every upstream of servers.json with its state at a glance — ready, starting, restarting, failed with the
// reason in words — its tool count and the tail of what it wrote to stderr (secrets masked by the gateway).
import type { GatehouseApi } from '../../../shared/api/operations';
import { EmptyState } from '../components/EmptyState';
import { EscapedText } from '../components/EscapedText';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';

export interface ServersViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

const CHANGED_BY = ['server', 'tools'] as const;

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
            Add the MCP servers your agents should reach through Gatehouse:{' '}
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
            </tr>
          </thead>
          <tbody>
            {list.map((server) => (
              <tr key={server.name} data-state={server.status?.state ?? 'unknown'}>
                <th scope="row" className="mono">
                  <EscapedText text={server.name} />
                </th>
                <td>
                  {server.status?.state ?? 'not started'}
                  {server.status?.error && (
                    <span className="muted">
                      {' '}
                      — <EscapedText text={server.status.error} />
                    </span>
                  )}
                </td>
                <td>{server.status?.toolCount ?? 0}</td>
                <td className="mono muted">
                  <EscapedText text={server.status?.stderrTail.at(-1) ?? ''} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
