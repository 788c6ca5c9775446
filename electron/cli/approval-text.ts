// What `gatehouse approvals` shows and what each key means: pure, so the terminal's words are unit-tested.
// Everything an agent or a server wrote (arguments, names, description) passes escapeToString: a terminal shows no
// escape sequence, bidi control or invisible character from them — each becomes a visible ⟦U+XXXX⟧ marker.
import type { ApprovalAnswer, PendingApproval } from '../../shared/api/approvals.js';
import { escapeToString } from '../../shared/escape-text.js';

/** What a key does: an answer, skip (the next request; this one stays waiting), or quit. */
export type KeyAction = { answer: ApprovalAnswer; said: string } | 'skip' | 'quit';

export const KEY_HELP = '[a] approve once  [d] deny  [1] approve for 15 minutes  [s] skip  [q] quit';

export function actionOfKey(key: string): KeyAction | undefined {
  switch (key) {
    case 'a':
    case 'A':
      return { answer: { decision: 'approve', remember: 'once', via: 'terminal' }, said: 'approved once' };
    case 'd':
    case 'D':
      return { answer: { decision: 'deny', via: 'terminal' }, said: 'denied' };
    case '1':
      return {
        answer: { decision: 'approve', remember: { minutes: 15 }, via: 'terminal' },
        said: 'approved for 15 minutes (this client, this tool)',
      };
    case 's':
    case 'S':
      return 'skip';
    case 'q':
    case 'Q':
    case '\u0003': // Ctrl-C in raw mode
    case '\u0004': // Ctrl-D
      return 'quit';
    default:
      return undefined;
  }
}

/** The client that stops waiting first comes first (as in the dashboard). */
export function byExpiry(list: readonly PendingApproval[]): PendingApproval[] {
  return [...list].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

function waitText(approval: PendingApproval, now: number): string {
  const seconds = Math.ceil((Date.parse(approval.expiresAt) - now) / 1000);
  return seconds > 0
    ? `the client waits ${seconds} s more`
    : 'the client stopped waiting: approving lets one identical retry pass within 10 minutes';
}

/** One request as a card of plain text lines, its arguments in full. */
export function formatApproval(approval: PendingApproval, position: string, now: number): string {
  const shown = (text: string) => escapeToString(text);
  const { risk } = approval;
  const lines = [
    `${position} — ${shown(approval.grant)} wants ${shown(approval.exposedName)} (server ${shown(approval.server)}, tool ${shown(approval.tool)})`,
    `  Why:        ${shown(approval.reason)}`,
    `  Risk:       ${shown(risk.category)} · ${risk.level}${risk.reasons.length > 0 ? ` (${shown(risk.reasons.join('; '))})` : ''}`,
    `  Waiting:    ${waitText(approval, now)}`,
    '  Arguments:',
    indent(shown(JSON.stringify(approval.arguments, null, 2)), '    '),
  ];
  if (approval.description !== undefined) {
    lines.push(`  The server describes the tool as: ${shown(approval.description)}`);
  }
  return lines.join('\n');
}
