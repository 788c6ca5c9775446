// One tool's per-client overrides: the base rule that decides for every client, the rules of the clients' overlays
// that match the tool (they decide over the base for that client's calls), and an Allow / Ask / Deny control per
// client that writes its own exact rule `grants.<grant>.servers.<server>.tools.<tool>`, or removes it.
import { useEffect, useState } from 'react';
import type { GatehouseApi, ToolInfo } from '../../../shared/api/operations';
import type { PolicyEdits } from '../hooks/usePolicyEdits';
import { grantActionOf, overlayRulesOf } from '../lib/grant-overlays';
import { toolActionEdit, toolRulePath } from '../lib/policy-edits';
import { EscapedText } from './EscapedText';
import { ToolActionControl } from './ToolActionControl';
import { ACTION_CHOICES, ACTION_WORD } from './action-words';

export interface GrantOverridesProps {
  api: GatehouseApi;
  tool: ToolInfo;
  policy: unknown;
  edit: PolicyEdits['edit'];
  onError: (err: unknown) => void;
}

export function GrantOverrides({ api, tool, policy, edit, onError }: GrantOverridesProps) {
  const [grants, setGrants] = useState<string[]>();
  useEffect(() => {
    let current = true;
    api.listGrants({}).then((list) => current && setGrants(list.grants.map((g) => g.name)), onError);
    return () => {
      current = false;
    };
  }, [api, onError]);
  const overlays = overlayRulesOf(policy, tool.server, tool.tool);
  const name = `${tool.server}/${tool.tool}`;

  return (
    <>
      <p>
        For every client:{' '}
        <span className={`action-word action-${tool.action}`}>{ACTION_WORD[tool.action]}</span>{' '}
        <span className="muted">by</span>{' '}
        <code>
          <EscapedText text={tool.rule} />
        </code>
      </p>
      {overlays.length > 0 && (
        <ul className="overlay-list" aria-label={`Client rules that match ${tool.tool}`}>
          {overlays.map((rule) => (
            <li key={rule.where}>
              <code>
                <EscapedText text={rule.where} />
              </code>{' '}
              <span className={`action-word action-${rule.action}`}>{ACTION_WORD[rule.action]}</span>
            </li>
          ))}
        </ul>
      )}
      {grants?.length === 0 && <p className="muted">No clients yet (see Clients).</p>}
      <ul className="grant-list">
        {grants?.map((grant) => {
          const own = grantActionOf(policy, tool.server, tool.tool, grant);
          return (
            <li key={grant}>
              <span className="mono grant-name">
                <EscapedText text={grant} />
              </span>
              <ToolActionControl
                label={`Action for ${tool.tool} from ${grant}`}
                name={`grant-action-${grant}`}
                choices={ACTION_CHOICES}
                value={own}
                disabled={false}
                onChoose={(action) =>
                  void edit(`${name} for ${grant} → ${ACTION_WORD[action]}`, (read) =>
                    toolActionEdit(read, tool.server, tool.tool, action, grant),
                  )
                }
              />
              {own === undefined ? (
                <span className="muted">as for every client</span>
              ) : (
                <button
                  type="button"
                  className="small"
                  aria-label={`Remove the override for ${grant}`}
                  onClick={() =>
                    void edit(`${name} for ${grant}: override removed`, () => ({
                      path: toolRulePath(tool.server, tool.tool, grant),
                      value: null,
                    }))
                  }
                >
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
