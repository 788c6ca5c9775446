// Approving inside the client (MCP elicitation): an extra channel beside the dashboard, only when settings.json
// `elicitationApprovals` is on, only when the calling client supports elicitation, and never for a Destructive tool.
// The question goes to the client's UI (a person), on the stream of the call it is about; the first answer wins.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { PendingApproval, Risk } from '../../../shared/api/approvals.js';

export const IN_CLIENT = 'the user (in the client)';

export function mayAskInClient(enabled: boolean, risk: Risk, client: Server | undefined): client is Server {
  return (
    enabled && risk.category !== 'destructive' && client?.getClientCapabilities()?.elicitation !== undefined
  );
}

/** Asks in the client; resolves to the person's answer, or undefined when they dismissed it or it failed. */
export async function askInClient(
  client: Server,
  approval: PendingApproval,
  relatedRequestId: string | number,
  signal: AbortSignal,
): Promise<'approve' | 'deny' | undefined> {
  try {
    const result = await client.elicitInput(
      {
        message:
          `Gatehouse: allow ${approval.exposedName}?\n` +
          `Why you are asked: ${approval.reason}\n` +
          `Arguments: ${JSON.stringify(approval.arguments, null, 2)}`,
        requestedSchema: {
          type: 'object',
          properties: { approve: { type: 'boolean', title: 'Allow this call once', default: false } },
          required: ['approve'],
        },
      },
      { relatedRequestId, signal },
    );
    if (result.action === 'decline') return 'deny';
    if (result.action !== 'accept') return undefined;
    return result.content?.approve === true ? 'approve' : 'deny';
  } catch {
    return undefined;
  }
}
