// The team's audit trail (DESIGN.md §9): every call record the log writes is also sent to the OTLP endpoint of
// settings.json, buffered and retried behind the call — a call never waits for it, and the local log stays the
// record of truth. Settings changed at run time start, stop or move it.
import { randomUUID } from 'node:crypto';
import type { CallRecord } from '../../../shared/call-record.js';
import type { LineChain } from '../log/call-log.js';
import type { OtlpSettings } from '../../../shared/settings.js';
import { redactString } from '../log/redact.js';
import { auditLogRecord, type AuditLogRecord } from './audit-record.js';
import type { BufferOptions } from './buffered-processor.js';
import type { Pipeline } from './otlp-pipeline.js';

/** Totals since the gateway started, across endpoints. */
export interface AuditTotals {
  exported: number;
  dropped: number;
  failedExports: number;
}

/** What operators are shown of the audit trail (health, metrics). */
export interface AuditState extends AuditTotals {
  /** The endpoint records go to, without credentials or query. */
  endpoint: string;
  state: 'starting' | 'ok' | 'failing';
  buffered: number;
  /** The last export's error while failing (redacted). */
  lastError?: string;
}

export interface AuditTrailOptions {
  /** The gateway's name on every record (README "Team mode"). */
  gateway: string;
  diagnostics: (line: string) => void;
  buffer?: Partial<BufferOptions>;
  /** One export request's limit, the exporter's own quick retries included. */
  timeoutMs?: number;
}

const MiB = 1024 * 1024;
const DEFAULT_BUFFER: BufferOptions = {
  maxBuffered: 10_000,
  maxBytes: 32 * MiB,
  // The exporter turns a batch into JSON on the event loop (about 15 µs a record here): small batches keep each
  // such pause short (2 ms for 128 records) for the calls waiting behind it.
  batchSize: 128,
  batchBytes: 1 * MiB,
  delayMs: 200,
  firstRetryMs: 500,
  maxRetryMs: 5_000,
};
const DEFAULT_TIMEOUT_MS = 10_000;
/** How long stopping (or moving to another endpoint) waits for the last records to go out. */
const CLOSE_MS = 1_000;

/** The URL records are posted to: the endpoint's base plus `v1/logs` (OTLP/HTTP), unless it names that path already. */
export function logsUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!/\/v1\/logs\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/logs`;
  return url.href;
}

/** An endpoint as shown in diagnostics and health: no user, password, query or fragment. */
function shown(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

const configKey = (otlp: OtlpSettings | undefined) =>
  otlp ? JSON.stringify([otlp.endpoint, Object.entries(otlp.headers ?? {}).sort()]) : '';

export class AuditTrail {
  private key = '';
  private url: string | undefined;
  private pipeline: Pipeline | undefined;
  /** Records that came while the SDK was loading. */
  private early: AuditLogRecord[] = [];
  private generation = 0;
  private readonly buffer: BufferOptions;
  private readonly counts: AuditTotals = { exported: 0, dropped: 0, failedExports: 0 };
  private failing: string | undefined;
  /** Drops since the buffer last had room (told once per episode). */
  private droppedInEpisode = 0;
  private closing: Promise<void>[] = [];

  constructor(private readonly options: AuditTrailOptions) {
    this.buffer = { ...DEFAULT_BUFFER, ...options.buffer };
  }

  /** Starts, stops or moves the trail to match settings.json's `otlp`; the same settings again change nothing. */
  configure(otlp: OtlpSettings | undefined): void {
    const key = configKey(otlp);
    if (key === this.key) return;
    this.key = key;
    this.stopPipeline(this.url ? `stopped sending to ${shown(this.url)}` : undefined);
    this.url = otlp ? logsUrl(otlp.endpoint) : undefined;
    if (!otlp || !this.url) return;
    const generation = ++this.generation;
    const url = this.url;
    this.options.diagnostics(`OTLP audit trail: sending call records to ${shown(url)}`);
    void import('./otlp-pipeline.js').then(
      ({ startPipeline }) => {
        if (generation !== this.generation) return; // settings changed again while loading
        this.pipeline = startPipeline(
          {
            url,
            headers: { ...otlp.headers },
            gateway: this.options.gateway,
            buffer: this.buffer,
            timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          },
          {
            // A pipeline being stopped still counts, but no longer speaks for the trail's state.
            exported: (count) => this.exported(count, generation === this.generation),
            failed: (error) => this.failed(error, generation === this.generation),
            dropped: () => this.dropped(),
            rejected: (count, error) => this.rejected(count, error),
          },
        );
        for (const record of this.early.splice(0)) this.pipeline.emit(record);
      },
      (err: unknown) => this.options.diagnostics(`OTLP audit trail: cannot start: ${(err as Error).message}`),
    );
  }

  /** The call log wrote `record` (as written: redacted): send it too. Never throws, never waits. */
  record(record: CallRecord, traceparent?: string, line?: LineChain): void {
    if (!this.url) return;
    const ids = { gateway: this.options.gateway, uid: randomUUID() };
    const entry = auditLogRecord(record, ids, traceparent, line);
    if (this.pipeline) this.pipeline.emit(entry);
    else if (this.early.length < this.buffer.maxBuffered) this.early.push(entry);
    else this.dropped();
  }

  get totals(): Readonly<AuditTotals> {
    return this.counts;
  }

  state(): AuditState | undefined {
    if (!this.url) return undefined;
    return {
      endpoint: shown(this.url),
      state: !this.pipeline ? 'starting' : this.failing !== undefined ? 'failing' : 'ok',
      buffered: this.pipeline ? this.pipeline.buffered : this.early.length,
      ...this.counts,
      ...(this.failing !== undefined ? { lastError: this.failing } : {}),
    };
  }

  /** Stops: the records still buffered get a moment to go out. */
  async close(): Promise<void> {
    this.key = '';
    this.stopPipeline(undefined);
    this.url = undefined;
    await Promise.all(this.closing);
  }

  private stopPipeline(why: string | undefined): void {
    this.generation++;
    const pipeline = this.pipeline;
    const url = this.url;
    const unsent = this.early.length;
    this.pipeline = undefined;
    this.early = [];
    this.failing = undefined;
    this.droppedInEpisode = 0;
    if (why) this.options.diagnostics(`OTLP audit trail: ${why}`);
    if (!pipeline || !url) {
      this.counts.dropped += unsent;
      return;
    }
    const closed = Promise.race([
      pipeline.shutdown().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, CLOSE_MS).unref()),
    ]).then(() => {
      const lost = pipeline.buffered;
      if (lost === 0) return;
      this.counts.dropped += lost;
      this.options.diagnostics(
        `OTLP audit trail: ${lost} records were never taken by ${shown(url)} (the local call log has them)`,
      );
    });
    this.closing.push(closed);
    void closed.then(() => (this.closing = this.closing.filter((c) => c !== closed)));
  }

  private exported(count: number, current: boolean): void {
    this.counts.exported += count;
    if (!current) return;
    if (this.failing !== undefined && this.url) {
      this.options.diagnostics(`OTLP audit trail: ${shown(this.url)} takes records again`);
    }
    this.failing = undefined;
    if (this.droppedInEpisode > 0) {
      this.options.diagnostics(
        `OTLP audit trail: the buffer has room again; ${this.droppedInEpisode} records were dropped while it was full (${this.counts.dropped} since start; the local call log has them)`,
      );
      this.droppedInEpisode = 0;
    }
  }

  private failed(error: Error | undefined, current: boolean): void {
    this.counts.failedExports++;
    if (!current) return;
    const why = redactString(error?.message ?? 'the endpoint refused the records');
    if (this.failing === undefined && this.url) {
      this.options.diagnostics(
        `OTLP audit trail: sending to ${shown(this.url)} failed (${why}); records are kept (up to ${this.buffer.maxBuffered}) and sent again`,
      );
    }
    this.failing = why;
  }

  private rejected(count: number, error: Error | undefined): void {
    this.counts.dropped += count;
    const why = redactString(error?.message ?? 'no reason given');
    this.options.diagnostics(
      `OTLP audit trail: the endpoint refused ${count} records as they are (${why}); they are dropped (the local call log has them)`,
    );
  }

  private dropped(): void {
    this.counts.dropped++;
    if (this.droppedInEpisode++ === 0) {
      this.options.diagnostics(
        `OTLP audit trail: the buffer is full (${this.buffer.maxBuffered} records or ${Math.round(this.buffer.maxBytes / MiB)} MiB): new records are dropped and counted until the endpoint takes some (the local call log keeps them all)`,
      );
    }
  }
}
