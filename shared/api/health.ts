// GET /api/health: whether a gateway works as configured, with the reasons when it does not (README "Team mode").
import { z } from 'zod';
import { UpstreamState } from '../servers.js';

export const Health = z.object({
  /** `degraded`: the gateway serves, but something named in `reasons` does not work as configured. */
  status: z.enum(['ok', 'degraded']),
  reasons: z.array(z.string()),
  /** The name this gateway gives itself on audit records: host name and home directory. */
  gateway: z.string(),
  uptimeSeconds: z.number(),
  upstreams: z.array(z.object({ name: z.string(), state: UpstreamState })),
  approvalsWaiting: z.number().int(),
  log: z.object({ writable: z.boolean() }),
  counters: z.object({ backend: z.string(), state: z.string() }),
  /** The OTLP audit trail, when settings.json names an endpoint. */
  otlp: z
    .object({
      endpoint: z.string(),
      state: z.enum(['starting', 'ok', 'failing']),
      buffered: z.number().int(),
      exported: z.number().int(),
      dropped: z.number().int(),
      failedExports: z.number().int(),
      lastError: z.string().optional(),
    })
    .optional(),
});
export type Health = z.infer<typeof Health>;
