// An OpenTelemetry LogRecordProcessor for the audit trail: records wait in a bounded buffer and go out in batches
// through the exporter, one batch at a time; a batch that fails stays at the head of the buffer and is sent again
// with backoff until the endpoint takes it. Whoever emits never waits. Past the bound, new records are dropped and
// counted (the SDK's BatchLogRecordProcessor drops a failed batch; an audit trail must not).
import { ExportResultCode } from '@opentelemetry/core';
import type {
  LogRecordExporter,
  LogRecordProcessor,
  ReadableLogRecord,
  SdkLogRecord,
} from '@opentelemetry/sdk-logs';

export interface BufferOptions {
  /** Records held at most (waiting or being sent). */
  maxBuffered: number;
  /** Records per export request. */
  batchSize: number;
  /** How long a record may wait for a batch to fill. */
  delayMs: number;
  /** The first wait after a failed export; doubled at each failure in a row, up to maxRetryMs. */
  firstRetryMs: number;
  maxRetryMs: number;
}

/** What the processor tells its owner, who keeps the totals across endpoints. */
export interface ExportEvents {
  exported(count: number): void;
  failed(error: Error | undefined): void;
  /** A record was refused: the buffer holds maxBuffered. */
  dropped(): void;
}

export class BufferedLogProcessor implements LogRecordProcessor {
  private readonly buffer: ReadableLogRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The pending timer is a retry's backoff: new records do not cut it short. */
  private backingOff = false;
  private retryMs: number;
  private sending: Promise<boolean> | undefined;
  private closed = false;

  constructor(
    private readonly exporter: LogRecordExporter,
    private readonly options: BufferOptions,
    private readonly events: ExportEvents,
  ) {
    this.retryMs = options.firstRetryMs;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  onEmit(record: SdkLogRecord): void {
    if (this.closed) return;
    if (this.buffer.length >= this.options.maxBuffered) {
      this.events.dropped();
      return;
    }
    this.buffer.push(record);
    this.schedule(this.buffer.length >= this.options.batchSize ? 0 : this.options.delayMs);
  }

  /** Sends until the buffer is empty or an export fails (then the retries go on in the background). */
  async forceFlush(): Promise<void> {
    this.clearTimer();
    while (this.buffer.length > 0) {
      if (!(await this.sendBatch())) {
        this.retryLater();
        return;
      }
    }
  }

  /** One last flush; what it could not send stays counted in `buffered`. */
  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    this.clearTimer();
    await this.exporter.shutdown();
  }

  private schedule(ms: number): void {
    if (this.closed || this.sending) return; // the batch in flight schedules what follows it
    if (this.timer) {
      if (this.backingOff || ms > 0) return;
      clearTimeout(this.timer);
    }
    this.backingOff = false;
    this.timer = setTimeout(() => void this.pump(), ms).unref();
  }

  private retryLater(): void {
    if (this.closed) return;
    this.clearTimer();
    this.backingOff = true;
    this.timer = setTimeout(() => void this.pump(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.backingOff = false;
  }

  private async pump(): Promise<void> {
    this.timer = undefined;
    this.backingOff = false;
    if (!(await this.sendBatch())) return this.retryLater();
    if (this.buffer.length > 0) {
      this.schedule(this.buffer.length >= this.options.batchSize ? 0 : this.options.delayMs);
    }
  }

  /** Sends the head of the buffer (or joins the send in flight); true when the endpoint took it. */
  private sendBatch(): Promise<boolean> {
    if (this.sending) return this.sending;
    if (this.buffer.length === 0) return Promise.resolve(true);
    const batch = this.buffer.slice(0, this.options.batchSize);
    let settle: (ok: boolean) => void = () => undefined;
    const sending = new Promise<boolean>((resolve) => (settle = resolve));
    this.sending = sending; // set before exporting: an exporter may answer at once
    let answered = false;
    const done = (ok: boolean, error?: Error) => {
      if (answered) return;
      answered = true;
      this.sending = undefined;
      if (ok) {
        this.buffer.splice(0, batch.length); // the batch is the head: one send at a time, new records at the tail
        this.retryMs = this.options.firstRetryMs;
        this.events.exported(batch.length);
      } else {
        this.events.failed(error);
      }
      settle(ok);
    };
    try {
      this.exporter.export(batch, (result) => done(result.code === ExportResultCode.SUCCESS, result.error));
    } catch (err) {
      done(false, err as Error);
    }
    return sending;
  }
}
