// Clients: the grants — each client's name, when it was created and its open sessions — revoked after a
// confirmation (components/ClientRow.tsx), and new ones created (components/ClientAddForm.tsx), whose token is shown
// once with ready-to-paste configurations (components/ClientTokenBox.tsx) and then dropped.
import { useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import { ClientAddForm } from '../components/ClientAddForm';
import { ClientRow } from '../components/ClientRow';
import { ClientTokenBox } from '../components/ClientTokenBox';
import { EmptyState } from '../components/EmptyState';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';
import { plural } from '../lib/format';

export interface ClientsViewProps {
  api: GatehouseApi;
  events: EventStream;
  mcpUrl: string;
  onError: (err: unknown) => void;
}

// No event says a grant changed; the list is read again after each change made here and when the stream reconnects.
const CHANGED_BY = [] as const;

export function ClientsView({ api, events, mcpUrl, onError }: ClientsViewProps) {
  const grants = useLoaded(() => api.listGrants({}), events, CHANGED_BY, onError);
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const list = grants.value?.grants ?? [];
  return (
    <div className="view clients-view">
      <div className="view-head">
        <h1>Clients</h1>
        <p className="muted" role="status" aria-live="polite">
          {grants.value ? plural(list.length, 'grant') : 'Loading…'}
        </p>
        <button type="button" className="secondary small" onClick={grants.reload}>
          Refresh
        </button>
      </div>
      {grants.error && (
        <p className="error-banner" role="alert">
          The grants could not be read: {grants.error}
        </p>
      )}
      {created && (
        <ClientTokenBox
          name={created.name}
          token={created.token}
          mcpUrl={mcpUrl}
          onDismiss={() => setCreated(undefined)}
        />
      )}
      {grants.value && list.length === 0 ? (
        <EmptyState title="No clients yet">
          <p>
            Each MCP client reaches Gatehouse with its own grant: create one below, or{' '}
            <code>gatehouse grant add NAME</code>.
          </p>
        </EmptyState>
      ) : (
        <table className="clients-table">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Created</th>
              <th scope="col">Open sessions</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((grant) => (
              <ClientRow
                key={grant.name}
                grant={grant}
                api={api}
                onChanged={grants.reload}
                onError={onError}
              />
            ))}
          </tbody>
        </table>
      )}
      <ClientAddForm
        api={api}
        onCreated={(grant) => {
          setCreated(grant);
          grants.reload();
        }}
        onError={onError}
      />
    </div>
  );
}
