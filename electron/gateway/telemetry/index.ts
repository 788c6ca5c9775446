// Team mode's faces for operators: the audit trail over OTLP, the health answer and the Prometheus metrics. The call
// log tells it of each record it writes (one callback, record()); everything else it reads when asked.
import os from 'node:os';
import type { CounterBackend } from '../../../shared/api/counter-shapes.js';
import type { Health } from '../../../shared/api/health.js';
import type { CallRecord } from '../../../shared/call-record.js';
import type { LineChain } from '../log/call-log.js';
import type { UpstreamStatus } from '../../../shared/servers.js';
import type { Settings } from '../../../shared/settings.js';
import { AuditTrail } from './audit-trail.js';
import { healthOf, logWritable } from './health.js';
import { counterBackendState, GatewayMetrics, type CounterBackendState } from './metrics.js';

export interface TelemetryDeps {
  home: string;
  logDir: string;
  clock: () => number;
  diagnostics: (line: string) => void;
  approvalsWaiting: () => number;
  upstreams: () => readonly UpstreamStatus[];
  /** Where the rate-limit counters are kept (GET /api/counters): this gateway alone, or the team's Redis. */
  counterBackend: () => CounterBackend;
}

/** The name a gateway gives itself on audit records: the host and the home directory (two gateways on one host differ). */
export function gatewayName(home: string): string {
  return `${os.hostname()}:${home}`;
}

export class Telemetry {
  private readonly gateway: string;
  private readonly audit: AuditTrail;
  private readonly metrics: GatewayMetrics;
  private readonly started: number;
  private readonly counterBackend: () => CounterBackendState;
  private failedOnce = false;

  constructor(private readonly deps: TelemetryDeps) {
    this.gateway = gatewayName(deps.home);
    this.started = deps.clock();
    this.counterBackend = () => counterBackendState(deps.counterBackend());
    this.audit = new AuditTrail({ gateway: this.gateway, diagnostics: deps.diagnostics });
    this.metrics = new GatewayMetrics({
      approvalsWaiting: deps.approvalsWaiting,
      upstreamStates: deps.upstreams,
      counterBackend: this.counterBackend,
      audit: () => this.audit.state(),
      auditTotals: () => this.audit.totals,
    });
  }

  /** Settings read (at start, or changed at run time): the audit trail follows `otlp`. */
  configure(settings: Settings): void {
    this.audit.configure(settings.otlp);
  }

  /**
   * The call log wrote `record` (as written: redacted): counted, and sent to the audit trail. Never throws into the
   * call's path: the call is already on the record of truth.
   */
  record(record: CallRecord, traceparent?: string, line?: LineChain): void {
    try {
      this.metrics.observe(record);
      this.audit.record(record, traceparent, line);
    } catch (err) {
      if (this.failedOnce) return;
      this.failedOnce = true;
      this.deps.diagnostics(
        `telemetry: a call record could not be counted or sent: ${(err as Error).message}`,
      );
    }
  }

  health(): Health {
    return healthOf({
      gateway: this.gateway,
      uptimeSeconds: Math.round((this.deps.clock() - this.started) / 1000),
      upstreams: this.deps.upstreams(),
      approvalsWaiting: this.deps.approvalsWaiting(),
      logWritable: logWritable(this.deps.logDir, new Date(this.deps.clock())),
      logDir: this.deps.logDir,
      counters: this.counterBackend(),
      audit: this.audit.state(),
    });
  }

  metricsText(): Promise<string> {
    return this.metrics.text();
  }

  /** Stops the audit trail, giving what it still holds a moment to go out. */
  close(): Promise<void> {
    return this.audit.close();
  }
}
