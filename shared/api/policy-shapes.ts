// The shapes of the policy operations of the control API (operations.ts): the file's text, the GUI's edits, a draft
// checked, an argument rule tried, a recommended policy and a draft replayed over the log.
import { z } from 'zod';
import { ArgRuleSchema } from '../policy.js';

/**
 * Where the policy in force comes from in team mode (settings.json `policySource`): the URL (its credentials masked),
 * the ETag and time of the team policy in force, the last answer, and why the last fetch failed while it does.
 */
export const PolicySource = z.object({
  url: z.string(),
  etag: z.string().optional(),
  fetchedAt: z.string().optional(),
  checkedAt: z.string().optional(),
  lastError: z.string().optional(),
  /** No team policy has arrived yet: every call is denied until one does. */
  waiting: z.boolean(),
  /** The team policy lets this gateway's policy.json add deny rules (`"x-allowLocalOverlay": true`). */
  localOverlay: z.boolean(),
});
export type PolicySource = z.infer<typeof PolicySource>;

/** The policy in force: policy.json's text, or in team mode the team's (read-only here), with where it comes from. */
export const PolicyText = z.object({
  text: z.string(),
  etag: z.string(),
  version: z.string(),
  source: PolicySource.optional(),
});
export const PolicyPut = z.object({ text: z.string(), ifMatch: z.string().optional() });
/** A problem of a policy text, where it is: its JSON path, and its line and column when the text has them. */
export const PolicyProblem = z.object({
  path: z.string(),
  message: z.string(),
  line: z.number().optional(),
  column: z.number().optional(),
});
/** A draft policy checked without saving it: its errors, and the rules that can never decide (shadowed). */
export const PolicyCheck = z.object({
  ok: z.boolean(),
  errors: z.array(PolicyProblem),
  warnings: z.array(PolicyProblem),
});
/** One argument rule tried on one value, by the same code that checks calls (the editor's live test field). */
export const ArgumentTest = z
  .object({
    server: z.string().min(1),
    name: z.string().min(1),
    rule: ArgRuleSchema,
    /** Absent: the argument is missing from the call. */
    value: z.unknown().optional(),
  })
  .strict();

/** The GUI's edits: each sets (or, with null, removes) one JSON path of policy.json; the rest stays byte for byte. */
export const PolicyPatch = z
  .object({
    set: z
      .array(
        z
          .object({
            path: z.array(z.union([z.string(), z.number().int().nonnegative()])).min(1),
            value: z.unknown(),
          })
          .strict()
          .refine((edit) => edit.value !== undefined, {
            message: 'value is required (null removes the path)',
          }),
      )
      .min(1)
      .max(100),
    ifMatch: z.string().optional(),
  })
  .strict();

/** A recommended policy (gatehouse policy recommend): the edits of policy.json, the text after them, and what was kept. */
export const PolicyRecommendation = z.object({
  edits: z.array(z.object({ path: z.array(z.string()), value: z.unknown() })),
  /** policy.json with the edits applied (the file itself is not written: apply the edits with patchPolicy). */
  text: z.string(),
  /** A unified diff of policy.json; absent when nothing would change. */
  diff: z.string().optional(),
  /** The ETag of the policy text the edits were made for: patchPolicy's If-Match. */
  etag: z.string(),
  skipped: z.array(z.object({ server: z.string(), tool: z.string(), why: z.string() })),
});

/** What a call would meet under a draft policy: `unknown` where an argument rule meets arguments the log redacted. */
const SimulatedOutcome = z.enum(['allow', 'approve', 'deny', 'rate_limited', 'invalid_args', 'unknown']);

/** A draft policy replayed over the call log (gatehouse policy simulate). */
export const PolicySimulation = z.object({
  /** Tool calls replayed. */
  total: z.number().int(),
  /** The calls whose outcome would change, oldest first (at most `limit`). */
  changed: z.array(
    z.object({
      id: z.string(),
      ts: z.string(),
      grant: z.string(),
      server: z.string(),
      tool: z.string(),
      was: SimulatedOutcome,
      would: SimulatedOutcome,
      rule: z.string(),
      reason: z.string(),
    }),
  ),
  counts: z.record(z.string(), z.number().int()),
  notes: z.array(z.string()),
});
