// Tools: every tool of every server, grouped by server, with what the policy does with it and which rule decides —
// for calls without a client's own overlay — and its remaining quota.
import type { GatehouseApi, ToolInfo } from '../../../shared/api/operations';
import { EmptyState } from '../components/EmptyState';
import { EscapedText } from '../components/EscapedText';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';

export interface ToolsViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

const CHANGED_BY = ['policy', 'tools'] as const;
const ACTION_WORD = { allow: 'Allow', approve: 'Ask', deny: 'Deny' } as const;

function byServer(tools: readonly ToolInfo[]): [string, ToolInfo[]][] {
  const groups = new Map<string, ToolInfo[]>();
  for (const tool of tools) groups.set(tool.server, [...(groups.get(tool.server) ?? []), tool]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

export function ToolsView({ api, events, onError }: ToolsViewProps) {
  const tools = useLoaded(() => api.listTools({}), events, CHANGED_BY, onError);
  const list = tools.value?.tools ?? [];
  return (
    <div className="view tools-view">
      <div className="view-head">
        <h1>Tools</h1>
        <p className="muted" role="status" aria-live="polite">
          {tools.value ? `${list.length} tools` : 'Loading…'}
        </p>
      </div>
      {tools.error && (
        <p className="error-banner" role="alert">
          The tools could not be read: {tools.error}
        </p>
      )}
      {tools.value && list.length === 0 && (
        <EmptyState title="No tools yet">
          <p>The tools of your servers show here once a server is ready (see Servers).</p>
        </EmptyState>
      )}
      {byServer(list).map(([server, serverTools]) => (
        <section key={server} aria-labelledby={`tools-${server}`} className="tool-group">
          <h2 id={`tools-${server}`} className="mono">
            <EscapedText text={server} />
          </h2>
          <table className="tools-table">
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Action</th>
                <th scope="col">Decided by</th>
                <th scope="col">Quota left</th>
              </tr>
            </thead>
            <tbody>
              {serverTools.map((tool) => (
                <tr key={tool.exposedName} data-action={tool.action}>
                  <th scope="row" className="mono" title={tool.description}>
                    <EscapedText text={tool.tool} />
                  </th>
                  <td>{ACTION_WORD[tool.action]}</td>
                  <td className="mono">
                    <EscapedText text={tool.rule} />
                  </td>
                  <td>
                    {tool.quota.length === 0
                      ? '—'
                      : tool.quota.map((q) => `${q.remaining} of ${q.max} per ${q.window}`).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
