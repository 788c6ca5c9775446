// One pending approval: who asks, for which tool, the risk, the server's own description, the arguments in full, the
// time left, and the four answers. Shortcuts A (approve once) and D (deny) act only while this card has focus.
import { useState, type KeyboardEvent } from 'react';
import type { ApprovalAnswer, PendingApproval } from '../../../shared/api/approvals';
import { ArgumentsView } from './ArgumentsView';
import { Countdown } from './Countdown';
import { EscapedText } from './EscapedText';

export interface ApprovalCardProps {
  approval: PendingApproval;
  onAnswer: (id: string, answer: ApprovalAnswer) => Promise<void>;
}

const RISK_WORD = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' } as const;

/** The four answers, named exactly as DESIGN.md §6 says. */
const ANSWERS: { label: string; className: string; body: ApprovalAnswer }[] = [
  { label: 'Approve once', className: 'approve', body: { decision: 'approve', remember: 'once' } },
  { label: 'Deny', className: 'deny', body: { decision: 'deny' } },
  {
    label: 'Approve for 15 minutes',
    className: 'secondary',
    body: { decision: 'approve', remember: { minutes: 15 } },
  },
  { label: 'Always allow', className: 'secondary', body: { decision: 'approve', remember: 'always' } },
];

export function ApprovalCard({ approval, onAnswer }: ApprovalCardProps) {
  const [busy, setBusy] = useState(false);
  // "Always allow" is for this client unless the person widens it to every client, on purpose.
  const [everyClient, setEveryClient] = useState(false);
  const [error, setError] = useState<string>();
  const titleId = `approval-${approval.id}-title`;
  const argsId = `approval-${approval.id}-args`;

  const answer = async (body: ApprovalAnswer) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await onAnswer(approval.id, body);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    const key = e.key.toLowerCase();
    if (key === 'a') {
      e.preventDefault();
      void answer({ decision: 'approve', remember: 'once' });
    } else if (key === 'd') {
      e.preventDefault();
      void answer({ decision: 'deny' });
    }
  };

  return (
    <article
      className={`approval-card risk-${approval.risk.level}`}
      aria-labelledby={titleId}
      aria-describedby={`${approval.id}-shortcuts`}
      aria-busy={busy}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <header className="approval-head">
        <h2 id={titleId}>
          <span className="muted">Client</span> <EscapedText text={approval.grant} />{' '}
          <span className="muted">wants</span>{' '}
          <span className="mono">
            <EscapedText text={approval.server} /> / <EscapedText text={approval.tool} />
          </span>
        </h2>
        <span className={`badge risk-badge risk-${approval.risk.level}`}>
          {RISK_WORD[approval.risk.level]}
        </span>
      </header>
      <Countdown createdAt={approval.createdAt} expiresAt={approval.expiresAt} />
      <dl className="facts">
        <div>
          <dt>Why you are asked</dt>
          <dd>
            <EscapedText text={approval.reason} />
          </dd>
        </div>
        <div>
          <dt>Risk</dt>
          <dd>
            {approval.risk.category}
            {approval.risk.reasons.length > 0 && (
              <ul className="risk-reasons">
                {approval.risk.reasons.map((r, i) => (
                  <li key={i}>
                    <EscapedText text={r} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {approval.description !== undefined && (
        <figure className="server-words">
          <figcaption>
            The server&apos;s own description of this tool{' '}
            <span className="muted">(its words, not Gatehouse&apos;s)</span>
          </figcaption>
          <blockquote>
            <EscapedText text={approval.description} />
          </blockquote>
        </figure>
      )}
      <h3 id={argsId}>Arguments, in full</h3>
      <ArgumentsView args={approval.arguments} labelledBy={argsId} />
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <div className="approval-actions" role="group" aria-label="Answer">
        {ANSWERS.map(({ label, className, body }) => (
          <button
            key={label}
            type="button"
            className={className}
            disabled={busy}
            onClick={() =>
              void answer(
                body.remember === 'always' && everyClient
                  ? { ...body, remember: 'always-all-clients' }
                  : body,
              )
            }
          >
            {label}
          </button>
        ))}
        <label className="every-client">
          <input
            type="checkbox"
            checked={everyClient}
            disabled={busy}
            onChange={(e) => setEveryClient(e.target.checked)}
          />{' '}
          “Always allow” for every client, not only <EscapedText text={approval.grant} />
        </label>
      </div>
      <p id={`${approval.id}-shortcuts`} className="muted shortcuts">
        With this card focused: <kbd>A</kbd> approves once, <kbd>D</kbd> denies.
      </p>
    </article>
  );
}
