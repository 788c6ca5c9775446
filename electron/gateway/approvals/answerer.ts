// Who answered an approval and where (DESIGN.md §6): recorded with the call, and named in the agent's text —
// "rejected by the user in the dashboard", never a popup that was not there.
import type { AnswerVia } from '../../../shared/api/approvals.js';

export interface Answerer {
  who: string;
  via: AnswerVia;
}

const PLACE: Record<AnswerVia, string> = {
  dashboard: 'in the dashboard',
  popup: 'in the approval popup',
  notification: 'from a notification',
  terminal: 'in a terminal (gatehouse approvals)',
  client: 'in the client',
  api: 'through the control API',
  resume: 'when it was resumed',
};

/** "the user in the dashboard", "Gatehouse when it was resumed". */
export function answeredBy(answerer: Answerer): string {
  return `${answerer.who} ${PLACE[answerer.via]}`;
}

/** A person answering through one of Gatehouse's faces. */
export function theUser(via: AnswerVia): Answerer {
  return { who: 'the user', via };
}

/** The answerer as the call record notes it: who, and where. */
export function noteOf(answerer: Answerer): { by: string; via: AnswerVia } {
  return { by: answerer.who, via: answerer.via };
}
