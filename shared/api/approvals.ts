// Approvals as the control API shows and answers them (DESIGN.md §6, §7).
import { z } from 'zod';

const RiskLevel = z.enum(['low', 'medium', 'high']);
export const Risk = z.object({
  category: z.string(),
  level: RiskLevel,
  reasons: z.array(z.string()),
});
export type Risk = z.infer<typeof Risk>;

export const PendingApproval = z.object({
  id: z.string(),
  grant: z.string(),
  server: z.string(),
  tool: z.string(),
  exposedName: z.string(),
  /** The arguments as the agent sent them: checked to be an object, never copied (a record's parse drops `__proto__`). */
  arguments: z.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be an object',
  ),
  /** Why a person is asked: the rule, the pause, the tripwire, or `tool definition changed` with the diff. */
  reason: z.string(),
  risk: Risk,
  /** The tool's description: the server's own words, not Gatehouse's. */
  description: z.string().optional(),
  createdAt: z.string(),
  /** When the client stops waiting (approvalTimeoutSeconds after createdAt). */
  expiresAt: z.string(),
});
export type PendingApproval = z.infer<typeof PendingApproval>;

/**
 * What an approval is remembered as: this call only; always, for this client (its grant's overlay in policy.json);
 * always, for every client (the base policy); or for N minutes (any arguments, or only these).
 */
const ApprovalRemember = z.union([
  z.literal('once'),
  z.literal('always'),
  z.literal('always-all-clients'),
  z
    .object({
      minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      sameArguments: z.boolean().optional(),
    })
    .strict(),
]);

/**
 * Where a person answered (DESIGN.md §6): recorded with the call and named in the agent's text. `client` is the
 * agent's own client (elicitation), `resume` is Gatehouse releasing what only the pause held, `api` a script.
 */
export const AnswerVia = z.enum([
  'dashboard',
  'popup',
  'notification',
  'terminal',
  'client',
  'api',
  'resume',
]);
export type AnswerVia = z.infer<typeof AnswerVia>;

export const ApprovalAnswer = z
  .object({
    decision: z.enum(['approve', 'deny']),
    remember: ApprovalRemember.optional(),
    /** The face that sent the answer; the control API takes `api` when it is absent. */
    via: AnswerVia.exclude(['client', 'resume']).optional(),
  })
  .strict();
export type ApprovalAnswer = z.infer<typeof ApprovalAnswer>;
