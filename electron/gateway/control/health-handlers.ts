// The control operations for operators: GET /api/health (ok or degraded, with the reasons) and GET /api/metrics
// (Prometheus' text format), both behind the admin token like every route under /api.
import type { Health } from '../../../shared/api/health.js';
import type { ControlHandlers } from './http-adapter.js';

export interface HealthContext {
  health: () => Health;
  metricsText: () => Promise<string>;
}

export function healthHandlers(ctx: HealthContext): Pick<ControlHandlers, 'getHealth' | 'getMetrics'> {
  return {
    getHealth: () => ctx.health(),
    getMetrics: async () => ({ text: await ctx.metricsText() }),
  };
}
