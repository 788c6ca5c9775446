// Approving inside the client (MCP elicitation): an extra channel beside the dashboard, only when settings.json
// `elicitationApprovals` is on, only when the calling client supports elicitation, and never for a Destructive tool.
// The question goes to the client's UI (a person), on the stream of the call it is about; the first answer wins.
import { theUser } from './answerer.js';
import { ElicitResultSchema, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { PendingApproval, Risk } from '../../../shared/api/approvals.js';

export const IN_CLIENT = theUser('client');

/** A client session as far as asking it is concerned (front/client-session.ts is one). */
export interface ElicitingClient {
  readonly capabilities: { elicitation?: object } | undefined;
  request<S extends z.ZodType>(
    request: { method: string; params?: Record<string, unknown> },
    schema: S,
    options?: { relatedRequestId?: RequestId; signal?: AbortSignal },
  ): Promise<z.output<S>>;
}

export function mayAskInClient(
  enabled: boolean,
  risk: Risk,
  client: ElicitingClient | undefined,
): client is ElicitingClient {
  return enabled && risk.category !== 'destructive' && client?.capabilities?.elicitation !== undefined;
}

/** Asks in the client; resolves to the person's answer, or undefined when they dismissed it or it failed. */
export async function askInClient(
  client: ElicitingClient,
  approval: PendingApproval,
  relatedRequestId: RequestId,
  signal: AbortSignal,
): Promise<'approve' | 'deny' | undefined> {
  try {
    const params = {
      message:
        `Gatehouse: allow ${approval.exposedName}?\n` +
        `Why you are asked: ${approval.reason}\n` +
        `Arguments: ${JSON.stringify(approval.arguments, null, 2)}`,
      requestedSchema: {
        type: 'object',
        properties: { approve: { type: 'boolean', title: 'Allow this call once', default: false } },
        required: ['approve'],
      },
    };
    const result = await client.request({ method: 'elicitation/create', params }, ElicitResultSchema, {
      relatedRequestId,
      signal,
    });
    if (result.action === 'decline') return 'deny';
    if (result.action !== 'accept') return undefined;
    return result.content?.approve === true ? 'approve' : 'deny';
  } catch {
    return undefined;
  }
}
