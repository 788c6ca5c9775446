// The call-log query (`GET /api/calls?limit&before&tool&server&status&grant&q`) and the page it answers.
// Values may come straight from a URL query string, so numbers are also accepted as strings; '' means "no filter".
import { z } from 'zod';
import { CallRecord, CallStatus } from './call-record.js';

const statusName = CallStatus.options.join('|');
const STATUS_LIST = new RegExp(`^\\s*(?:(?:${statusName})\\s*(?:,\\s*(?:${statusName})\\s*)*)?$`);
/**
 * The shape of `nextBefore` — treat it as opaque and hand it back unchanged: `<ts>|<day>|<offset>` (the day file and
 * the byte offset of the page's last call), then `|<ids>` when calls before it are still wanted by the filter (their
 * outcome line, after the cursor, matched it: comma-separated, each URI-encoded).
 */
export const CALL_CURSOR =
  /^([^|]+)\|(\d{4}-\d{2}-\d{2})\|(\d+)(?:\|((?:[\w.!~*'()-]|%[0-9A-Fa-f]{2}|,)*))?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export const CallQuery = z.object({
  limit: z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\d+$/, 'limit must be a whole number')
        .transform((s) => Number(s)),
    ])
    .pipe(z.number().int().min(1).max(1000))
    .default(100),
  /** `nextBefore` of the previous page, or an ISO timestamp (UTC when it names no offset): calls strictly before it. */
  before: z
    .string()
    .refine((s) => s === '' || CALL_CURSOR.test(s) || (TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s))), {
      message:
        'before must be the nextBefore of a previous page or an ISO timestamp like 2026-11-24T10:00:00Z',
    })
    .optional(),
  /** The upstream's tool name or the exposed name, exactly. */
  tool: z.string().optional(),
  server: z.string().optional(),
  /** One status or a comma-separated list, e.g. `denied,rate_limited`. */
  status: z
    .string()
    .regex(
      STATUS_LIST,
      `status must be one of ${CallStatus.options.join(', ')}, or a comma-separated list of them`,
    )
    .optional(),
  grant: z.string().optional(),
  /** Case-insensitive text searched in tool, server, exposedName, grant, reason, rule, error and the arguments' JSON. */
  q: z.string().optional(),
});
export type CallQuery = z.infer<typeof CallQuery>;
export type CallQueryInput = z.input<typeof CallQuery>;

export const CallPage = z.object({
  calls: z.array(CallRecord),
  /** Present when older calls may exist: pass it as `before` to get the next page. */
  nextBefore: z.string().optional(),
});
export type CallPage = z.infer<typeof CallPage>;

/** `GET /api/calls/export` and `gatehouse log export`: the calls of `GET /api/calls`'s filters, oldest first. */
export const CallExportQuery = CallQuery.omit({ limit: true, before: true }).extend({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  /** Calls at or after this ISO timestamp (UTC when it names no offset); all when absent. */
  since: z
    .string()
    .refine((s) => s === '' || (TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s))), {
      message: 'since must be an ISO timestamp like 2026-11-24T10:00:00Z',
    })
    .optional(),
});
export type CallExportQuery = z.infer<typeof CallExportQuery>;

export const CallExport = z.object({
  format: z.enum(['jsonl', 'csv']),
  text: z.string(),
  /** Calls in `text`. */
  calls: z.number(),
  /** More calls matched than one answer holds: ask again with a later `since`. */
  truncated: z.boolean(),
});
export type CallExport = z.infer<typeof CallExport>;
