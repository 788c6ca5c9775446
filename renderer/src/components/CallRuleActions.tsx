// A call's rule actions: "Always allow this", "Ask next time", "Deny this tool", for this client or all clients —
// each one exact edit of policy.json through usePolicyEdits (the ETag as read when the panel opened, so a file changed
// meanwhile is refused, never overwritten), with what it wrote and Undo.
import { useMemo, useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import { usePolicyEdits } from '../hooks/usePolicyEdits';
import {
  CALL_RULE_ACTIONS,
  callRuleEdit,
  callRuleLabel,
  denyStillWinning,
  scopesOf,
  type CallTarget,
  type RuleScope,
} from '../lib/call-rules';
import { PolicyEditBar } from './PolicyEditBar';
import { ToolActionControl } from './ToolActionControl';

export interface CallRuleActionsProps {
  api: GatehouseApi;
  call: CallTarget;
}

// The Live calls list follows the gateway's own events; nothing else needs telling after an edit.
const NOTHING_TO_RELOAD = () => undefined;

export function CallRuleActions({ api, call }: CallRuleActionsProps) {
  const edits = usePolicyEdits(api, NOTHING_TO_RELOAD);
  const scopes = scopesOf(call);
  const [scope, setScope] = useState<RuleScope>(scopes[0] ?? 'all');
  // The gateway's reasons for refusing the last click (400), each with its path.
  const [refusals, setRefusals] = useState<string[]>([]);
  const json = edits.policy?.json;
  const denyWins = useMemo(() => denyStillWinning(json, call, scope), [json, call, scope]);
  const choices = scopes.map((value) => ({
    value,
    word: value === 'client' ? `this client (${call.grant})` : 'all clients',
  }));

  return (
    <section className="call-rules" aria-labelledby="call-rules-title">
      <h3 id="call-rules-title">Rule for this tool</h3>
      <div className="call-rules-scope">
        <span aria-hidden="true">For:</span>
        <ToolActionControl
          label="For"
          name="call-rule-scope"
          choices={choices}
          value={scope}
          disabled={false}
          onChoose={setScope}
        />
      </div>
      <div className="call-rules-actions">
        {CALL_RULE_ACTIONS.map(({ action, button }) => (
          <button
            key={action}
            type="button"
            className={`secondary call-rule-${action}`}
            disabled={!edits.policy}
            aria-describedby={denyWins && action !== 'deny' ? 'call-rules-deny' : undefined}
            onClick={() =>
              void edits
                .edit(callRuleLabel(call, action, scope), (policy) =>
                  callRuleEdit(policy, call, action, scope),
                )
                .then((outcome) => setRefusals(outcome.errors))
            }
          >
            {button}
          </button>
        ))}
      </div>
      {denyWins && (
        <p id="call-rules-deny" className="deny-note">
          Allow and Ask would not take effect for this call: <code>{denyWins}</code> denies it, and a deny
          anywhere wins.
        </p>
      )}
      <PolicyEditBar edits={edits} />
      {edits.message?.kind === 'error' && refusals.length > 0 && (
        <ul className="call-rule-refusals" aria-label="Why the gateway refused it">
          {refusals.map((refusal) => (
            <li key={refusal}>{refusal}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
