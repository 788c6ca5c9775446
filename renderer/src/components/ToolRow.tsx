// One tool of the Tools view: what the policy does with it, the rule that decides, its risk (class and level, the
// reasons on hover), its quota, the control that sets its own rule, and the "Edit rule" disclosure whose editors open
// in a row of their own below it. Memoized: with 2,000 tools, an edit re-renders only the rows whose data changed
// (and the open one).
import { memo, type ReactNode } from 'react';
import type { ToolInfo } from '../../../shared/api/operations';
import type { Action } from '../lib/policy-edits';
import type { PinState } from '../lib/tool-pins';
import { riskTitle, riskWords } from '../lib/tool-risk';
import { ACTION_CHOICES, ACTION_WORD } from './action-words';
import { EscapedText } from './EscapedText';
import { ToolActionControl } from './ToolActionControl';

const PIN_WORD = { changed: 'definition changed', renamed: 'renamed', unpinned: 'new' } as const;
const PIN_TITLE = {
  changed: 'its definition changed since it was pinned: see Edit rule',
  renamed: 'a new name with the definition of a tool no longer listed: see Edit rule',
  unpinned: 'not pinned yet',
} as const;

const COLUMNS = 6;

export interface ToolRowProps {
  tool: ToolInfo;
  /** A deny rule elsewhere that wins whatever this tool's own rule says. */
  deniedBy: string | undefined;
  /** The action of the tool's own rule when it is watched only (monitor): recorded, not enforced. */
  watching: Action | undefined;
  /** The tool's definition is not as pinned, or not pinned yet (a pinned tool has no mark). */
  pin: Exclude<PinState, 'pinned'> | undefined;
  disabled: boolean;
  onChoose: (server: string, tool: string, action: Action) => void;
  /** The editors of the tool's rule, given only to the row whose disclosure is open. */
  editor: ReactNode | undefined;
  onToggle: (exposedName: string) => void;
}

export const ToolRow = memo(function ToolRow(props: ToolRowProps) {
  const { tool, deniedBy, watching, pin, disabled, onChoose, editor, onToggle } = props;
  const noteId = `deny-note-${tool.exposedName}`;
  const editorId = `rule-of-${tool.exposedName}`;
  const open = editor !== undefined;
  const riskId = `risk-${tool.exposedName}`;
  const wordsId = `words-${tool.exposedName}`;
  return (
    <>
      <tr data-action={tool.action} className={open ? 'is-open' : undefined}>
        <th
          scope="row"
          aria-label={tool.tool}
          aria-describedby={tool.description ? `${riskId} ${wordsId}` : riskId}
        >
          <span className="mono">
            <EscapedText text={tool.tool} />
          </span>
          {tool.description && (
            <span
              id={wordsId}
              className="tool-words"
              title={`${tool.server}'s own words: ${tool.description}`}
            >
              “
              <EscapedText text={tool.description} />”
            </span>
          )}
        </th>
        <td>
          <span className={`action-word action-${tool.action}`}>{ACTION_WORD[tool.action]}</span>
        </td>
        <td className="mono rule-cell">
          <EscapedText text={tool.rule} />
          {watching && (
            <span className="badge monitored-badge tone-wait" title="its own rule is recorded, not enforced">
              watching: {ACTION_WORD[watching]}
            </span>
          )}
        </td>
        <td>
          <span
            id={riskId}
            className={`badge risk-badge risk-${tool.risk.level}`}
            title={riskTitle(tool.risk)}
            data-testid="tool-risk"
          >
            {riskWords(tool.risk)}
          </span>
          {pin && (
            <span
              className={`badge pin-badge tone-${pin === 'unpinned' ? 'neutral' : 'warn'}`}
              title={PIN_TITLE[pin]}
            >
              {PIN_WORD[pin]}
            </span>
          )}
        </td>
        <td>
          {tool.quota.length === 0
            ? '—'
            : tool.quota.map((q) => `${q.remaining} of ${q.max} per ${q.window}`).join(', ')}
        </td>
        <td className="set-cell">
          <ToolActionControl
            label={`Action for ${tool.tool}`}
            name={`action-${tool.exposedName}`}
            choices={ACTION_CHOICES}
            value={tool.action}
            describedBy={deniedBy ? noteId : undefined}
            disabled={disabled}
            onChoose={(action) => onChoose(tool.server, tool.tool, action)}
          />
          <button
            type="button"
            className="small disclosure"
            aria-expanded={open}
            aria-controls={open ? editorId : undefined}
            aria-label={`Edit rule of ${tool.tool}`}
            onClick={() => onToggle(tool.exposedName)}
          >
            Edit rule
          </button>
          {deniedBy && (
            <p id={noteId} className="deny-note">
              <EscapedText text={deniedBy} /> denies it: an explicit deny wins, so Allow or Ask here takes
              effect only once that rule changes.
            </p>
          )}
        </td>
      </tr>
      {open && (
        <tr className="rule-editor-row">
          <td colSpan={COLUMNS}>
            <div id={editorId} role="region" aria-label={`Rule of ${tool.tool}`}>
              {editor}
            </div>
          </td>
        </tr>
      )}
    </>
  );
});
