// The call record: one JSON object per line in logs/YYYY-MM-DD.jsonl (DESIGN.md §5).
// The decision line is written before the call is forwarded; the outcome is a second line with the same id.
import { z } from 'zod';
import { AnswerVia } from './api/approvals.js';

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

/** How a person answered a call's approval, recorded with the call. */
const ApprovalNote = z.object({
  decision: z.enum(['approve', 'deny']),
  /** Who answered: "the user", or Gatehouse itself on resume. */
  by: z.string(),
  /** Where: dashboard, popup, notification, terminal, client, api, resume. Absent in records written before it. */
  via: AnswerVia.optional(),
  at: z.string(),
  remember: z
    .union([
      z.literal('once'),
      z.literal('always'),
      z.literal('always-all-clients'),
      z.object({ minutes: z.number(), sameArguments: z.boolean().optional() }),
    ])
    .optional(),
});
type ApprovalNote = z.infer<typeof ApprovalNote>;

/**
 * `counted` (team mode, settings.json `counters`): `team` — on the team's shared counters (Redis), which keep it;
 * `local-fallback` — a shared limit counted by this gateway alone while Redis could not be reached. Absent: local.
 */
const Charges = z.array(
  z.object({ key: z.string(), windowMs: z.number(), counted: z.enum(['team', 'local-fallback']).optional() }),
);

/**
 * What a monitored rule (`"monitor": true`) would have done with the call, had it been enforced: its decision, its
 * status in the engine's words, where it lives and why. `decision` of the record stays what was applied.
 */
const MonitoredNote = z.object({
  decision: CallDecision,
  status: z.enum(['allowed', 'approval_required', 'denied', 'rate_limited', 'invalid_args']),
  rule: z.string(),
  reason: z.string(),
});

/**
 * The hash chain of the log's lines (README, "The call log"): the hash of the line before, and this line's own. Absent
 * in lines written before the chain; in a record read back they are its decision line's.
 */
const ChainFields = {
  prev: z.string().optional(),
  hash: z.string().optional(),
};

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
  /** The rate-limit counters this call was charged to when forwarded: counters are rebuilt from these at start. */
  charges: Charges.optional(),
  approval: ApprovalNote.optional(),
  /** A short redacted text preview of the tool's result (from the outcome line). */
  resultPreview: z.string().optional(),
  /** A monitored rule would have decided this call: it was not enforced (DESIGN.md §4 Monitor). */
  monitor: z.literal(true).optional(),
  monitored: MonitoredNote.optional(),
  ...ChainFields,
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
  /** A changed reason (e.g. why an approved call was still refused at release). */
  reason: z.string().optional(),
  approval: ApprovalNote.optional(),
  /** Charges made later than the decision line (an approved call, charged at release). */
  charges: Charges.optional(),
  ...ChainFields,
});
export type CallOutcome = z.infer<typeof CallOutcome>;

/** The chain of the newest day file, as `GET /api/log/head` reports it (README, "The call log"). */
export const LogHead = z.object({
  /** The newest day file (YYYY-MM-DD), absent when the log is empty. */
  day: z.string().optional(),
  /** Chained lines of that day (a call is a decision line and an outcome line). */
  records: z.number(),
  /** The last hash of that day's chain: keep it elsewhere to prove the log later. */
  head: z.string().optional(),
  ok: z.boolean(),
  /** The first break of that day's chain, in words naming its file, line and record. */
  problem: z.string().optional(),
  warnings: z.array(z.string()),
});
export type LogHead = z.infer<typeof LogHead>;
