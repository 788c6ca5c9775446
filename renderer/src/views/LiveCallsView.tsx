// Live calls: every call as the gateway decides it, newest first, with filters and a details panel.
import { useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import { CallDetails } from '../components/CallDetails';
import { CallExportButtons } from '../components/CallExportButtons';
import { CallFilters } from '../components/CallFilters';
import { CallsTable } from '../components/CallsTable';
import { EmptyState } from '../components/EmptyState';
import { FirstRunGuide } from '../components/FirstRunGuide';
import { LogChainStatus } from '../components/LogChainStatus';
import { useCallFeed } from '../hooks/useCallFeed';
import type { EventStream } from '../hooks/useEventStream';
import { useFirstRun } from '../hooks/useFirstRun';
import { useLogHead } from '../hooks/useLogHead';
import { NO_FILTERS, hasFilters, type CallFilters as Filters } from '../lib/call-filters';

export interface LiveCallsViewProps {
  api: GatehouseApi;
  events: EventStream;
  mcpUrl: string;
  onError: (err: unknown) => void;
}

function NoCallsYet({ mcpUrl }: { mcpUrl: string }) {
  return (
    <EmptyState title="No calls yet">
      <p>Every tool call an agent makes through Gatehouse will appear here the moment it is decided.</p>
      <ol>
        <li>
          Create a grant for your client: <code>gatehouse grant add my-laptop</code> (the token is printed
          once).
        </li>
        <li>
          Point an MCP client at <code>{mcpUrl}</code> with the header{' '}
          <code>Authorization: Bearer &lt;token&gt;</code>— or let Gatehouse edit the client&apos;s own
          config: <a href="#connect">Connect</a> (Claude Desktop, Cursor, VS Code, Claude Code), or{' '}
          <code>gatehouse connect claude</code> in a terminal.
        </li>
        <li>
          Ask the agent to use a tool: the call shows up here, allowed, denied, rate-limited or waiting for
          you.
        </li>
      </ol>
    </EmptyState>
  );
}

export function LiveCallsView({ api, events, mcpUrl, onError }: LiveCallsViewProps) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const feed = useCallFeed(api, events, filters, onError);
  const [selectedId, setSelectedId] = useState<string>();
  const selected = selectedId !== undefined ? feed.store.get(selectedId) : undefined;
  const empty = feed.loaded && feed.store.size === 0;
  const firstRun = useFirstRun(api, events, onError);
  const logHead = useLogHead(api, events);

  return (
    <div className="view calls-view">
      <div className="view-head">
        <h1>Live calls</h1>
        <p className="muted" role="status" aria-live="polite">
          {feed.loaded
            ? `${feed.store.size.toLocaleString()} call${feed.store.size === 1 ? '' : 's'} shown`
            : 'Loading…'}
          {feed.hasMore ? ' — older calls load as you scroll' : ''}
        </p>
        <LogChainStatus head={logHead.head} error={logHead.error} />
      </div>
      <CallFilters value={filters} onChange={setFilters}>
        <CallExportButtons api={api} filters={filters} onError={onError} />
      </CallFilters>
      {feed.error && (
        <p className="error-banner" role="alert">
          The call log could not be read: {feed.error}
        </p>
      )}
      <div className={`calls-layout${selected ? ' has-details' : ''}`}>
        {empty && !hasFilters(filters) && firstRun.show ? (
          <FirstRunGuide
            api={api}
            startingPolicy={firstRun.startingPolicy}
            mcpUrl={mcpUrl}
            onChanged={firstRun.reload}
            onError={onError}
          />
        ) : empty && !hasFilters(filters) ? (
          <NoCallsYet mcpUrl={mcpUrl} />
        ) : empty ? (
          <EmptyState title="No call matches these filters">
            <p>
              Change or clear the filters above; new matching calls will still appear here as they happen.
            </p>
          </EmptyState>
        ) : (
          <CallsTable
            store={feed.store}
            version={feed.version}
            selectedId={selectedId}
            onSelect={setSelectedId}
            hasMore={feed.hasMore}
            loadMore={feed.loadMore}
          />
        )}
        {selected && <CallDetails api={api} call={selected} onClose={() => setSelectedId(undefined)} />}
      </div>
    </div>
  );
}
