// An OpenTelemetry LogRecordProcessor for the audit trail: records wait in a bounded buffer and go out in batches
// through the exporter, one batch at a time; a batch that fails stays at the head of the buffer and is sent again
// with backoff until the endpoint takes it. Whoever emits never waits. Past the bound (records or bytes), new records
// are dropped and counted (the SDK's BatchLogRecordProcessor drops a failed batch; an audit trail must not). Only a
// batch the endpoint refuses for what it is (HTTP 400, or 413 for one record alone) is given up, so that no record can
// block the ones behind it forever.
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
  /** Their estimated size at most, in bytes (a call's arguments may take up to 64 KiB in the log). */
  maxBytes: number;
  /** Records per export request, at most. */
  batchSize: number;
  /** Estimated bytes per export request, at most (one record alone may exceed it). */
  batchBytes: number;
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
  /** A record was refused: the buffer is full. */
  dropped(): void;
  /** The endpoint refused these records for what they are: they are given up. */
  rejected(count: number, error: Error | undefined): void;
}

/** A record's size as sent, roughly: its texts, and a fixed share for the rest. */
function sizeOf(record: ReadableLogRecord): number {
  let size = 200 + (typeof record.body === 'string' ? record.body.length : 0);
  for (const [key, value] of Object.entries(record.attributes)) {
    size += key.length + 16 + (typeof value === 'string' ? value.length : 8);
  }
  return size;
}

/** The HTTP status of a failed export, when the endpoint answered one. */
function statusOf(error: Error | undefined): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

interface Held {
  record: ReadableLogRecord;
  size: number;
}

export class BufferedLogProcessor implements LogRecordProcessor {
  private readonly buffer: Held[] = [];
  private bytes = 0;
  /** Records per request: halved when the endpoint finds a request too large. */
  private batchCap: number;
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
    this.batchCap = options.batchSize;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  onEmit(record: SdkLogRecord): void {
    if (this.closed) return;
    const size = sizeOf(record);
    if (this.buffer.length >= this.options.maxBuffered || this.bytes + size > this.options.maxBytes) {
      this.events.dropped();
      return;
    }
    this.buffer.push({ record, size });
    this.bytes += size;
    this.schedule(this.buffer.length >= this.batchCap ? 0 : this.options.delayMs);
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
      this.schedule(this.buffer.length >= this.batchCap ? 0 : this.options.delayMs);
    }
  }

  /**
   * Sends the head of the buffer (or joins the send in flight): true when the buffer can go on (the batch was taken,
   * given up, or is to be sent again in smaller requests), false when it must wait and try again.
   */
  private sendBatch(): Promise<boolean> {
    if (this.sending) return this.sending;
    if (this.buffer.length === 0) return Promise.resolve(true);
    const batch = this.headBatch();
    let settle: (ok: boolean) => void = () => undefined;
    const sending = new Promise<boolean>((resolve) => (settle = resolve));
    this.sending = sending; // set before exporting: an exporter may answer at once
    let answered = false;
    const done = (ok: boolean, error?: Error) => {
      if (answered) return;
      answered = true;
      this.sending = undefined;
      const status = ok ? undefined : statusOf(error);
      if (status === 413 && batch.length > 1) {
        this.batchCap = Math.max(1, Math.floor(batch.length / 2));
        this.events.failed(error);
        return settle(true); // sent again at once, in smaller requests
      }
      if (ok || status === 400 || status === 413) {
        this.take(batch.length); // the batch is the head: one send at a time, new records at the tail
        this.retryMs = this.options.firstRetryMs;
        if (ok) this.events.exported(batch.length);
        else this.events.rejected(batch.length, error);
        return settle(true);
      }
      this.events.failed(error);
      settle(false);
    };
    try {
      this.exporter.export(
        batch.map((held) => held.record),
        (result) => done(result.code === ExportResultCode.SUCCESS, result.error),
      );
    } catch (err) {
      done(false, err as Error);
    }
    return sending;
  }

  /** The records at the head of the buffer that one request takes: at least one. */
  private headBatch(): Held[] {
    let bytes = 0;
    let count = 0;
    for (const held of this.buffer) {
      if (count === this.batchCap || (count > 0 && bytes + held.size > this.options.batchBytes)) break;
      bytes += held.size;
      count++;
    }
    return this.buffer.slice(0, count);
  }

  private take(count: number): void {
    for (const held of this.buffer.splice(0, count)) this.bytes -= held.size;
  }
}
