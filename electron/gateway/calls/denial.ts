// What a refused call looks like to the agent (DESIGN.md §5): a tool result, never a protocol error.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallDecision, CallStatus } from '../../../shared/call-record.js';

export interface DenialMeta {
  decision: CallDecision;
  status: CallStatus;
  rule: string;
  retryAfterSeconds?: number;
}

export function denialResult(exposedName: string, reason: string, meta: DenialMeta): CallToolResult {
  const decision: DenialMeta = { decision: meta.decision, status: meta.status, rule: meta.rule };
  if (meta.retryAfterSeconds !== undefined) decision.retryAfterSeconds = meta.retryAfterSeconds;
  return {
    isError: true,
    content: [{ type: 'text', text: `Gatehouse denied ${exposedName}: ${reason}` }],
    _meta: { 'gatehouse/decision': decision },
  };
}
