// The problems the gateway finds in a policy text — errors that refuse it, or warnings about rules that can never
// decide — each with its JSON path, line and column and message; a click moves the editor's caret to where it is.
import type { ApiErrorBody } from '../../../shared/api/operations';

export type PolicyTextError = NonNullable<ApiErrorBody['errors']>[number];

export interface PolicyTextErrorsProps {
  errors: readonly PolicyTextError[];
  /** Errors refuse the text; warnings do not. */
  kind?: 'error' | 'warning';
  onGoTo: (line: number, column: number) => void;
}

export function PolicyTextErrors({ errors, kind = 'error', onGoTo }: PolicyTextErrorsProps) {
  return (
    <ul className={`policy-errors is-${kind}`} aria-label={kind === 'error' ? 'Errors' : 'Warnings'}>
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
