// The gateway's refusal of a policy text: each error with its JSON path, line and column and message; a click moves
// the editor's caret to where it is.
import type { ApiErrorBody } from '../../../shared/api/operations';

export type PolicyTextError = NonNullable<ApiErrorBody['errors']>[number];

export interface PolicyTextErrorsProps {
  errors: readonly PolicyTextError[];
  onGoTo: (line: number, column: number) => void;
}

export function PolicyTextErrors({ errors, onGoTo }: PolicyTextErrorsProps) {
  return (
    <ul className="policy-errors" aria-label="Errors">
      {errors.map((e, index) => {
        const where =
          e.line !== undefined ? `line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''}` : '';
        const body = (
          <>
            <code className="policy-error-path">{e.path || '(the file)'}</code>
            {where && <span className="policy-error-where">{where}</span>}
            <span className="policy-error-message">{e.message}</span>
          </>
        );
        return (
          <li key={index}>
            {e.line !== undefined ? (
              <button
                type="button"
                className="policy-error"
                onClick={() => onGoTo(e.line ?? 1, e.column ?? 1)}
              >
                {body}
              </button>
            ) : (
              <span className="policy-error">{body}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
