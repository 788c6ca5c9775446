// The gateway's figures for operators in Prometheus' text format (GET /api/metrics), on a registry of its own (never
// prom-client's global one: two gateways in one process, as in tests, keep apart). Calls are counted from the call
// records as the log writes them; the rest is read when scraped.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CounterBackend } from '../../../shared/api/counter-shapes.js';
import type { CallRecord } from '../../../shared/call-record.js';
import { UpstreamState } from '../../../shared/servers.js';
import type { AuditState, AuditTotals } from './audit-trail.js';

/** Where the rate-limit counters are kept, in an operator's words: the backend, its state, and what is wrong if anything. */
export interface CounterBackendState {
  backend: 'local' | 'redis';
  state: CounterBackend['state'];
  /** Set when the backend does not work as configured: the health answer is degraded, saying this. */
  problem?: string;
}

/** The team's counters (GET /api/counters' answer) as the metrics and the health answer name them. */
export function counterBackendState(counters: CounterBackend): CounterBackendState {
  if (counters.state === 'local') return { backend: 'local', state: 'local' };
  const problem =
    counters.state === 'unavailable'
      ? `Redis ${counters.redis ?? ''} cannot be reached${counters.error ? ` (${counters.error})` : ''}; limits shared with the team ${counters.onUnavailable === 'local' ? 'are counted by this gateway alone' : 'refuse their calls'}`
      : undefined;
  return { backend: 'redis', state: counters.state, ...(problem ? { problem } : {}) };
}

export interface MetricsSources {
  approvalsWaiting: () => number;
  upstreamStates: () => readonly { state: UpstreamState }[];
  counterBackend: () => CounterBackendState;
  audit: () => AuditState | undefined;
  /** The audit trail's totals since start, kept across endpoints (a counter never goes back). */
  auditTotals: () => AuditTotals;
}

/** Seconds: a gateway's own work is about a millisecond; waiting for a person takes up to an hour. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/** A counter whose value is kept elsewhere, set when scraped. */
function countedElsewhere(registry: Registry, name: string, help: string, read: () => number) {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      const value = read();
      if (value > 0) this.inc(value);
    },
  });
}

export class GatewayMetrics {
  private readonly registry = new Registry();
  private readonly calls: Counter<'decision' | 'status'>;
  private readonly latency: Histogram<'decision'>;
  private processMetrics = false;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'gatehouse_calls_total',
      help: 'Calls that ended, by decision (allow, deny, approve) and status (ok, error, denied, rate_limited, …)',
      labelNames: ['decision', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'gatehouse_call_duration_seconds',
      help: 'From a call reaching the gateway to its outcome (a wait for approval included), by decision',
      labelNames: ['decision'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'gatehouse_approvals_waiting',
      help: 'Calls waiting for a person to approve them',
      registers,
      collect() {
        this.set(sources.approvalsWaiting());
      },
    });
    new Gauge({
      name: 'gatehouse_upstreams',
      help: 'Upstream servers by state',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = new Map<string, number>(UpstreamState.options.map((s) => [s, 0]));
        for (const { state } of sources.upstreamStates()) counts.set(state, (counts.get(state) ?? 0) + 1);
        for (const [state, count] of counts) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'gatehouse_counter_backend',
      help: 'The rate-limit counters backend in use and its state (1 for the current one)',
      labelNames: ['backend', 'state'],
      registers,
      collect() {
        this.reset();
        const { backend, state } = sources.counterBackend();
        this.set({ backend, state }, 1);
      },
    });
    new Gauge({
      name: 'gatehouse_otlp_buffered_records',
      help: 'Audit records waiting to be taken by the OTLP endpoint',
      registers,
      collect() {
        this.set(sources.audit()?.buffered ?? 0);
      },
    });
    new Gauge({
      name: 'gatehouse_otlp_up',
      help: '1 while the OTLP endpoint takes audit records, 0 while exports fail; absent without an endpoint',
      labelNames: ['endpoint'],
      registers,
      collect() {
        this.reset();
        const audit = sources.audit();
        if (audit) this.set({ endpoint: audit.endpoint }, audit.state === 'failing' ? 0 : 1);
      },
    });
    countedElsewhere(
      this.registry,
      'gatehouse_otlp_exported_records_total',
      'Audit records the OTLP endpoint took',
      () => sources.auditTotals().exported,
    );
    countedElsewhere(
      this.registry,
      'gatehouse_otlp_dropped_records_total',
      'Audit records dropped: the buffer was full, or the endpoint refused them as they are (the local call log keeps them)',
      () => sources.auditTotals().dropped,
    );
    countedElsewhere(
      this.registry,
      'gatehouse_otlp_failed_exports_total',
      'Export requests the OTLP endpoint did not take (each is retried)',
      () => sources.auditTotals().failedExports,
    );
  }

  /** A call record as the log wrote it: counted once the call ended (a decision line still pending is not). */
  observe(record: CallRecord): void {
    if (record.status === 'pending') return;
    this.calls.inc({ decision: record.decision, status: record.status });
    if (record.durationMs !== undefined) {
      this.latency.observe({ decision: record.decision }, record.durationMs / 1000);
    }
  }

  text(): Promise<string> {
    // prom-client's process metrics start an event-loop monitor and a GC observer that nothing can stop: started with
    // the first scrape, not with every gateway a process (a test run) builds and never scrapes.
    if (!this.processMetrics) {
      collectDefaultMetrics({ register: this.registry });
      this.processMetrics = true;
    }
    return this.registry.metrics();
  }
}
