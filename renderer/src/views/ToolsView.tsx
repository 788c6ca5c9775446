// Tools: every tool of every server, grouped by server, with what the policy does with it and which rule decides —
// for calls without a client's own overlay — and its remaining quota; and the controls that change it: one per tool
// (its own rule's action), one per server (its default), and for one opened tool the editors of its rule (limits,
// argument rules, per-client overrides), each an exact edit of policy.json with Undo.
import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { GatehouseApi, ToolInfo } from '../../../shared/api/operations';
import { EmptyState } from '../components/EmptyState';
import { EscapedText } from '../components/EscapedText';
import { PolicyEditBar } from '../components/PolicyEditBar';
import { RecommendPanel } from '../components/RecommendPanel';
import { ToolActionControl, type Choice } from '../components/ToolActionControl';
import { ACTION_WORD } from '../components/action-words';
import { ToolRow } from '../components/ToolRow';
import { ToolRuleEditors } from '../components/ToolRuleEditors';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';
import { usePolicyEdits } from '../hooks/usePolicyEdits';
import {
  denyElsewhere,
  denyRulesOf,
  serverDefaultEdit,
  serverDefaultOf,
  toolActionEdit,
  type Action,
} from '../lib/policy-edits';
import { watchedAction } from '../lib/rule-parts';
import { searchTools } from '../lib/tool-search';
import { pinKey, unsettledPins } from '../lib/tool-pins';
import { RISK_FILTERS, toolsByRisk } from '../lib/tool-risk';
import { plural } from '../lib/format';
import { teamPolicyReason } from '../lib/team-policy';

export interface ToolsViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

const CHANGED_BY = ['policy', 'tools'] as const;
// An approved call that a changed definition held accepts the definition: the pins are read again.
const PINS_CHANGED_BY = ['tools', 'approval'] as const;
const FOLLOW = 'follow';
type DefaultChoice = Action | typeof FOLLOW;
const DEFAULT_CHOICES: readonly Choice<DefaultChoice>[] = [
  { value: 'allow', word: 'Allow' },
  { value: 'approve', word: 'Ask' },
  { value: 'deny', word: 'Deny' },
  { value: FOLLOW, word: 'Follow the policy default' },
];

/**
 * The list as read, with each tool that did not change kept as the very object of the previous read, so that after
 * an edit among 2,000 tools only the rows that changed render again.
 */
function useStableTools(tools: readonly ToolInfo[] | undefined): readonly ToolInfo[] {
  const previous = useRef(new Map<string, { json: string; tool: ToolInfo }>());
  return useMemo(() => {
    const next = new Map<string, { json: string; tool: ToolInfo }>();
    const out = (tools ?? []).map((tool) => {
      const json = JSON.stringify(tool);
      const before = previous.current.get(tool.exposedName);
      const kept = before?.json === json ? before.tool : tool;
      next.set(tool.exposedName, { json, tool: kept });
      return kept;
    });
    previous.current = next;
    return out;
  }, [tools]);
}

function byServer(tools: readonly ToolInfo[]): [string, ToolInfo[]][] {
  const groups = new Map<string, ToolInfo[]>();
  for (const tool of tools) {
    const group = groups.get(tool.server);
    if (group) group.push(tool);
    else groups.set(tool.server, [tool]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

export function ToolsView({ api, events, onError }: ToolsViewProps) {
  const tools = useLoaded(() => api.listTools({}), events, CHANGED_BY, onError);
  const edits = usePolicyEdits(api, tools.reload);
  const pins = useLoaded(() => api.listToolPins({}), events, PINS_CHANGED_BY, onError);
  const unsettled = useMemo(() => unsettledPins(pins.value?.pins), [pins.value]);
  const list = tools.value?.tools ?? [];
  const stable = useStableTools(tools.value?.tools);
  const [query, setQuery] = useState('');
  // Typing stays quick with 2,000 tools: the list follows the deferred query.
  const deferredQuery = useDeferredValue(query);
  const [lowestRisk, setLowestRisk] = useState<(typeof RISK_FILTERS)[number]['value']>('');
  const [riskiestFirst, setRiskiestFirst] = useState(false);
  const [recommending, setRecommending] = useState(false);
  const found = useMemo(
    () => toolsByRisk(searchTools(stable, deferredQuery), lowestRisk, riskiestFirst),
    [stable, deferredQuery, lowestRisk, riskiestFirst],
  );
  const groups = useMemo(() => byServer(found), [found]);
  const policyJson = edits.policy?.json;
  const source = edits.policy?.source;
  // Team mode: every control that edits the policy is disabled, saying why.
  const readOnly = !edits.policy || source !== undefined;
  const denies = useMemo(() => denyRulesOf(policyJson), [policyJson]);
  const { edit } = edits;
  const [openTool, setOpenTool] = useState<string>();
  const toggle = useCallback(
    (exposedName: string) => setOpenTool((open) => (open === exposedName ? undefined : exposedName)),
    [],
  );

  const chooseTool = useCallback(
    (server: string, tool: string, action: Action) =>
      edit(`${server}/${tool} → ${ACTION_WORD[action]}`, (policy) =>
        toolActionEdit(policy, server, tool, action),
      ),
    [edit],
  );
  const chooseDefault = useCallback(
    (server: string, choice: DefaultChoice) =>
      edit(`default of ${server} → ${choice === FOLLOW ? 'the policy default' : ACTION_WORD[choice]}`, () =>
        serverDefaultEdit(server, choice === FOLLOW ? undefined : choice),
      ),
    [edit],
  );

  return (
    <div className="view tools-view" aria-busy={edits.busy}>
      <div className="tools-top">
        <div className="view-head">
          <h1>Tools</h1>
          <p className="muted" role="status" aria-live="polite">
            {!tools.value
              ? 'Loading…'
              : found.length === list.length
                ? plural(list.length, 'tool')
                : `${found.length} of ${plural(list.length, 'tool')}`}
          </p>
          <input
            type="search"
            className="tools-search"
            aria-label="Search tools"
            placeholder="Search tools: name, server, description, action, rule"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <select
            aria-label="Risk"
            value={lowestRisk}
            onChange={(event) => setLowestRisk(event.target.value as typeof lowestRisk)}
          >
            {RISK_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          <label className="tools-sort">
            <input
              type="checkbox"
              checked={riskiestFirst}
              onChange={(event) => setRiskiestFirst(event.target.checked)}
            />
            Riskiest first
          </label>
          <button
            type="button"
            className="secondary"
            aria-expanded={recommending}
            onClick={() => setRecommending((open) => !open)}
            disabled={source !== undefined}
          >
            Recommend a policy
          </button>
        </div>
        <PolicyEditBar edits={edits} />
        {source && (
          <p className="muted" data-testid="tools-read-only">
            {teamPolicyReason(source)}: the controls below are read-only.
          </p>
        )}
      </div>
      {tools.error && (
        <p className="error-banner" role="alert">
          The tools could not be read: {tools.error}
        </p>
      )}
      {recommending && <RecommendPanel api={api} edits={edits} onClose={() => setRecommending(false)} />}
      {tools.value && list.length === 0 && (
        <EmptyState title="No tools yet">
          <p>The tools of your servers show here once a server is ready (see Servers).</p>
        </EmptyState>
      )}
      {tools.value && list.length > 0 && found.length === 0 && (
        <p className="muted">
          {lowestRisk
            ? 'No tool matches the search and the risk chosen.'
            : `No tool matches “${deferredQuery}”.`}
        </p>
      )}
      {groups.map(([server, serverTools]) => (
        <section key={server} aria-labelledby={`tools-${server}`} className="tool-group">
          <div className="tool-group-head">
            <h2 id={`tools-${server}`} className="mono">
              <EscapedText text={server} />
            </h2>
            <div className="server-default">
              <span className="muted">Default for tools no rule names:</span>
              <ToolActionControl
                label={`Default for ${server}`}
                name={`default-${server}`}
                choices={DEFAULT_CHOICES}
                value={edits.policy ? (serverDefaultOf(policyJson, server) ?? FOLLOW) : undefined}
                disabled={readOnly}
                onChoose={(choice) => chooseDefault(server, choice)}
              />
            </div>
          </div>
          <table className="tools-table">
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Action</th>
                <th scope="col">Decided by</th>
                <th scope="col">Risk</th>
                <th scope="col">Quota left</th>
                <th scope="col">Set its rule</th>
              </tr>
            </thead>
            <tbody>
              {serverTools.map((tool) => (
                <ToolRow
                  key={tool.exposedName}
                  tool={tool}
                  deniedBy={denyElsewhere(denies, tool.server, tool.tool)}
                  watching={watchedAction(policyJson, tool.server, tool.tool)}
                  pin={unsettled.get(pinKey(tool.server, tool.tool))}
                  disabled={readOnly}
                  onChoose={chooseTool}
                  editor={
                    openTool === tool.exposedName && source === undefined ? (
                      <ToolRuleEditors
                        api={api}
                        tool={tool}
                        pin={unsettled.get(pinKey(tool.server, tool.tool))}
                        policy={policyJson}
                        edit={edit}
                        onError={onError}
                      />
                    ) : undefined
                  }
                  onToggle={toggle}
                />
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
