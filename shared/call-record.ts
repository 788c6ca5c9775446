// The call record: one JSON object per line in logs/YYYY-MM-DD.jsonl (DESIGN.md §5).
// The decision line is written before the call is forwarded; the outcome is a second line with the same id.
import { z } from 'zod';

export const CallStatus = z.enum([
  'pending',
  'ok',
  'error',
  'denied',
  'rate_limited',
  'invalid_args',
  'rejected',
  'timed_out',
]);
export type CallStatus = z.infer<typeof CallStatus>;

export const CallDecision = z.enum(['allow', 'deny', 'approve']);
export type CallDecision = z.infer<typeof CallDecision>;

export const CallRecord = z.object({
  id: z.string(),
  ts: z.string(),
  grant: z.string(),
  session: z.string(),
  server: z.string(),
  tool: z.string(),
  exposedName: z.string(),
  arguments: z.unknown(),
  argsHash: z.string(),
  decision: CallDecision,
  rule: z.string(),
  reason: z.string(),
  policyVersion: z.string(),
  status: CallStatus,
  durationMs: z.number().optional(),
  error: z.string().optional(),
});
export type CallRecord = z.infer<typeof CallRecord>;

/** The second line of a call: how it ended. */
export const CallOutcome = z.object({
  id: z.string(),
  ts: z.string(),
  status: CallStatus,
  durationMs: z.number().optional(),
  error: z.string().optional(),
  resultPreview: z.string().optional(),
});
export type CallOutcome = z.infer<typeof CallOutcome>;
