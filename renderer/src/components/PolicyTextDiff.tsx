// The review of an edit of policy.json: its line diff, removed lines marked − and added ones +, each with its line.
import type { DiffLine } from '../lib/line-diff';

export interface PolicyTextDiffProps {
  diff: readonly DiffLine[];
  /** The list's accessible name. */
  label?: string;
}

export function PolicyTextDiff({ diff, label = 'Changes' }: PolicyTextDiffProps) {
  if (!diff.some((d) => d.kind !== 'same')) {
    return <p className="muted">No changes: the text is the file as it was read.</p>;
  }
  return (
    <ol className="policy-diff" aria-label={label}>
      {diff.map((d, index) => (
        <li key={index} className={`diff-${d.kind}`} data-kind={d.kind}>
          <span className="diff-line" aria-hidden="true">
            {d.kind === 'added' ? '' : d.oldLine}
          </span>
          <span className="diff-line" aria-hidden="true">
            {d.kind === 'removed' ? '' : d.newLine}
          </span>
          <span className="diff-mark">{d.kind === 'added' ? '+' : d.kind === 'removed' ? '−' : ' '}</span>
          <code>{d.text}</code>
        </li>
      ))}
    </ol>
  );
}
