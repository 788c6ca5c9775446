// "Recommend a policy": rules proposed from the tools' risk classes (Read → allow, Write → ask, Execute → ask and 10 a
// minute, Destructive → ask or deny, the user's choice), shown as a line diff against policy.json as it is, with the
// tools left as they are and why; applied with one click as the exact edits, carrying the ETag the proposal was made
// for (a file changed meanwhile is refused, 409, never overwritten), with Undo like every other edit. The proposal
// can first be replayed over the recorded calls.
import { useId, useMemo, useState } from 'react';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';
import type { PolicyEdits } from '../hooks/usePolicyEdits';
import { lineDiff } from '../lib/line-diff';
import { plural } from '../lib/format';
import { EscapedText } from './EscapedText';
import { PolicyTextDiff } from './PolicyTextDiff';
import { SimulationPanel } from './SimulationPanel';
import { ToolActionControl, type Choice } from './ToolActionControl';

type Destructive = 'approve' | 'deny';
const DESTRUCTIVE_CHOICES: readonly Choice<Destructive>[] = [
  { value: 'approve', word: 'Ask' },
  { value: 'deny', word: 'Deny' },
];

interface Proposal {
  recommendation: OperationOutput<'recommendPolicy'>;
  /** policy.json as it was when the proposal was made: the diff's left side. */
  before: string;
}

export interface RecommendPanelProps {
  api: GatehouseApi;
  edits: PolicyEdits;
  onClose: () => void;
}

export function RecommendPanel({ api, edits, onClose }: RecommendPanelProps) {
  const [destructive, setDestructive] = useState<Destructive>('approve');
  const [proposal, setProposal] = useState<Proposal>();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const id = useId();
  const diff = useMemo(
    () => (proposal ? lineDiff(proposal.before, proposal.recommendation.text) : []),
    [proposal],
  );

  const propose = () => {
    setAsking(true);
    setError(undefined);
    Promise.all([api.recommendPolicy({ destructive }), api.getPolicy({})])
      .then(([recommendation, current]) => setProposal({ recommendation, before: current.text }))
      .catch((err: unknown) => setError((err as Error).message))
      .finally(() => setAsking(false));
  };

  const apply = async () => {
    if (!proposal) return;
    const { edits: set, etag } = proposal.recommendation;
    const outcome = await edits.apply(`recommended policy (${plural(set.length, 'rule')})`, set, etag);
    if (outcome.saved) onClose();
    else setProposal(undefined);
  };

  const rec = proposal?.recommendation;
  return (
    <section className="recommend-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Recommend a policy</h2>
      <p className="muted">
        From each tool’s risk: Read → Allow, Write → Ask, Execute → Ask and 10 calls a minute per client,
        Destructive → your choice. Rules you already wrote are kept.
      </p>
      <div className="recommend-ask">
        <span aria-hidden="true">Destructive tools:</span>
        <ToolActionControl
          label="Destructive tools"
          name={`${id}-destructive-choice`}
          choices={DESTRUCTIVE_CHOICES}
          value={destructive}
          disabled={asking}
          onChoose={(choice) => {
            setDestructive(choice);
            setProposal(undefined);
          }}
        />
        <button type="button" onClick={propose} disabled={asking}>
          {asking ? 'Proposing…' : 'Propose'}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {error && (
        <p className="policy-outcome is-error" role="alert">
          No proposal: {error}
        </p>
      )}
      {rec && (
        <>
          {rec.edits.length === 0 ? (
            <p role="status">Nothing to add: every tool is already decided by a rule or as recommended.</p>
          ) : (
            <>
              <p role="status">
                {plural(rec.edits.length, 'change')} to policy.json, as a diff against the file as it is:
              </p>
              <PolicyTextDiff diff={diff} label="Recommended changes" />
              <div className="recommend-apply">
                <button type="button" onClick={() => void apply()} disabled={edits.busy}>
                  Apply the recommended policy
                </button>
              </div>
              <SimulationPanel api={api} text={rec.text} subject="the recommended policy" />
            </>
          )}
          {rec.skipped.length > 0 && (
            <details className="recommend-skipped">
              <summary>{plural(rec.skipped.length, 'tool')} left as they are</summary>
              <ul aria-label="Tools left as they are">
                {rec.skipped.map((s) => (
                  <li key={`${s.server}/${s.tool}`}>
                    <span className="mono">
                      <EscapedText text={`${s.server}/${s.tool}`} />
                    </span>
                    : <EscapedText text={s.why} />
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
