// The gateway's check of the draft as it is typed: errors (the save would be refused) and warnings (rules that can
// never decide: saving is allowed), each with its path and line; a click moves the caret there.
import type { PolicyCheck } from '../hooks/usePolicyCheck';
import { PolicyTextErrors } from './PolicyTextErrors';

export interface PolicyCheckNotesProps {
  check: PolicyCheck | undefined;
  /** Whether the errors are shown already (the gateway refused a save of this very text). */
  errorsShown: boolean;
  onGoTo: (line: number, column: number) => void;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function PolicyCheckNotes({ check, errorsShown, onGoTo }: PolicyCheckNotesProps) {
  return (
    <div data-testid="policy-check" aria-live="polite">
      {check?.failure !== undefined && (
        <p className="muted">The draft could not be checked: {check.failure}</p>
      )}
      {check && check.errors.length > 0 && !errorsShown && (
        <div className="policy-outcome is-error">
          <p>
            {count(check.errors.length, 'error')}: the gateway would refuse this text. Fix{' '}
            {check.errors.length === 1 ? 'it' : 'them'} to save.
          </p>
          <PolicyTextErrors errors={check.errors} kind="error" onGoTo={onGoTo} />
        </div>
      )}
      {check && check.warnings.length > 0 && (
        <div className="policy-outcome is-warn">
          <p>{count(check.warnings.length, 'warning')}: rules that can never decide. Saving is allowed.</p>
          <PolicyTextErrors errors={check.warnings} kind="warning" onGoTo={onGoTo} />
        </div>
      )}
    </div>
  );
}
