// One tool of the Tools view: what the policy does with it, the rule that decides, its quota, and the control that
// sets its own rule. Memoized: with 2,000 tools, an edit re-renders only the rows whose data changed.
import { memo } from 'react';
import type { ToolInfo } from '../../../shared/api/operations';
import type { Action } from '../lib/policy-edits';
import { EscapedText } from './EscapedText';
import { ToolActionControl, type Choice } from './ToolActionControl';

export const ACTION_WORD = { allow: 'Allow', approve: 'Ask', deny: 'Deny' } as const;
const ACTION_CHOICES: readonly Choice<Action>[] = [
  { value: 'allow', word: 'Allow' },
  { value: 'approve', word: 'Ask' },
  { value: 'deny', word: 'Deny' },
];

export interface ToolRowProps {
  tool: ToolInfo;
  /** A deny rule elsewhere that wins whatever this tool's own rule says. */
  deniedBy: string | undefined;
  disabled: boolean;
  onChoose: (server: string, tool: string, action: Action) => void;
}

export const ToolRow = memo(function ToolRow({ tool, deniedBy, disabled, onChoose }: ToolRowProps) {
  const noteId = `deny-note-${tool.exposedName}`;
  return (
    <tr data-action={tool.action}>
      <th scope="row" className="mono" title={tool.description}>
        <EscapedText text={tool.tool} />
      </th>
      <td>
        <span className={`action-word action-${tool.action}`}>{ACTION_WORD[tool.action]}</span>
      </td>
      <td className="mono rule-cell">
        <EscapedText text={tool.rule} />
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
        {deniedBy && (
          <p id={noteId} className="deny-note">
            <EscapedText text={deniedBy} /> denies it: an explicit deny wins, so Allow or Ask here takes
            effect only once that rule changes.
          </p>
        )}
      </td>
    </tr>
  );
});
