// The words of the policy's actions in the dashboard ("approve" reads "Ask"), and the Allow / Ask / Deny choice.
import type { Action } from '../lib/policy-edits';
import type { Choice } from './ToolActionControl';

export const ACTION_WORD = { allow: 'Allow', approve: 'Ask', deny: 'Deny' } as const;
export const ACTION_CHOICES: readonly Choice<Action>[] = [
  { value: 'allow', word: ACTION_WORD.allow },
  { value: 'approve', word: ACTION_WORD.approve },
  { value: 'deny', word: ACTION_WORD.deny },
];
