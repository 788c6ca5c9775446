// Connect: the MCP clients Gatehouse knows (Claude Desktop, Cursor, VS Code, Claude Code) — found or not, connected or
// not, what bypasses Gatehouse — each with a preview of the change, Connect and Undo (components/ConnectClientCard).
// The same work as `gatehouse connect`, done by the gateway; only the client's own config file is ever written.
import type { GatehouseApi } from '../../../shared/api/operations';
import { ConnectClientCard } from '../components/ConnectClientCard';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';

export interface ConnectViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

const CHANGED_BY = ['server', 'policy'] as const;

export function ConnectView({ api, events, onError }: ConnectViewProps) {
  const configs = useLoaded(() => api.listClientConfigs({}), events, CHANGED_BY, onError);
  const clients = configs.value?.clients ?? [];
  return (
    <div className="view connect-view">
      <div className="view-head">
        <h1>Connect</h1>
        <p className="muted" role="status" aria-live="polite">
          {configs.value
            ? `${clients.filter((c) => c.connected).length} of ${clients.length} clients connected`
            : 'Loading…'}
        </p>
        <button type="button" className="secondary small" onClick={configs.reload}>
          Refresh
        </button>
      </div>
      <p className="muted connect-intro">
        Connect puts Gatehouse into a client&apos;s own config: its servers move into Gatehouse, and one
        Gatehouse entry takes their place, so every tool call passes the policy. Nothing is written before you
        see the change.
      </p>
      {configs.error && (
        <p className="error-banner" role="alert">
          The clients&apos; configs could not be read: {configs.error}
        </p>
      )}
      <div className="connect-list">
        {clients.map((client) => (
          <ConnectClientCard
            key={client.name}
            api={api}
            client={client}
            startingPolicy={configs.value?.startingPolicy !== undefined}
            onChanged={configs.reload}
            onError={onError}
          />
        ))}
      </div>
    </div>
  );
}
