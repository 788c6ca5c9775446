// Where the rate-limit counters are kept (GET /api/counters and the `counters` event): this gateway alone, or the
// team's Redis (settings.json `counters`, DESIGN.md §9) and whether it can be reached now.
import { z } from 'zod';

export const CounterBackend = z.object({
  /** local: settings.json has no `counters`; every limit is counted by this gateway alone. */
  state: z.enum(['local', 'connecting', 'connected', 'unavailable']),
  /** The Redis as shown: scheme, host and port, never a password. */
  redis: z.string().optional(),
  team: z.string().optional(),
  onUnavailable: z.enum(['deny', 'local']).optional(),
  /** When it became connected or unavailable (ISO time). */
  since: z.string().optional(),
  /** Why it is unavailable. */
  error: z.string().optional(),
});
export type CounterBackend = z.infer<typeof CounterBackend>;
