// The audit trail's processor: a bounded buffer sent in order, one batch at a time, a failed batch kept and sent again
// — and past the bound, new records dropped and counted, never blocking whoever emits.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { BufferedLogProcessor } from '../../../electron/gateway/telemetry/buffered-processor.js';

/** An exporter the test answers: each export waits for ok() or fail(). */
class HeldExporter implements LogRecordExporter {
  readonly sent: string[][] = [];
  private answer: ((result: ExportResult) => void) | undefined;
  export(logs: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    this.sent.push(logs.map((l) => String(l.body)));
    this.answer = done;
  }
  get waiting(): boolean {
    return this.answer !== undefined;
  }
  ok(): void {
    this.reply({ code: 0 });
  }
  fail(): void {
    this.reply({ code: 1, error: new Error('connect ECONNREFUSED') });
  }
  /** The endpoint answers an HTTP error (the exporter's error carries its status as `code`). */
  refuse(status: number): void {
    this.reply({ code: 1, error: Object.assign(new Error(`HTTP ${status}`), { code: status }) });
  }
  private reply(result: ExportResult): void {
    const answer = this.answer;
    this.answer = undefined;
    answer?.(result);
  }
  shutdown = () => Promise.resolve();
  forceFlush = () => Promise.resolve();
}

const record = (body: string, text = '') => ({ body, attributes: { text } }) as unknown as SdkLogRecord;
const options = {
  maxBuffered: 5,
  maxBytes: 1e9,
  batchSize: 2,
  batchBytes: 1e9,
  delayMs: 10,
  firstRetryMs: 100,
  maxRetryMs: 400,
};

afterEach(() => vi.useRealTimers());

function setup(overrides: Partial<typeof options> = {}) {
  vi.useFakeTimers();
  const exporter = new HeldExporter();
  const events = { exported: 0, failed: 0, dropped: 0, rejected: 0 };
  const processor = new BufferedLogProcessor(
    exporter,
    { ...options, ...overrides },
    {
      exported: (n) => (events.exported += n),
      failed: () => events.failed++,
      dropped: () => events.dropped++,
      rejected: (n) => (events.rejected += n),
    },
  );
  return { exporter, events, processor };
}

describe('BufferedLogProcessor', () => {
  it('sends full batches at once and a partial one after its delay, one export at a time', async () => {
    const { exporter, processor, events } = setup();
    for (const b of ['a', 'b', 'c']) processor.onEmit(record(b));
    await vi.advanceTimersByTimeAsync(0);
    expect(exporter.sent).toEqual([['a', 'b']]);
    processor.onEmit(record('d'));
    await vi.advanceTimersByTimeAsync(50);
    expect(exporter.sent).toHaveLength(1); // the first is still in flight
    exporter.ok();
    await vi.advanceTimersByTimeAsync(0);
    expect(exporter.sent).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    exporter.ok();
    await vi.advanceTimersByTimeAsync(50);
    expect(events).toEqual({ exported: 4, failed: 0, dropped: 0, rejected: 0 });
    expect(processor.buffered).toBe(0);
  });

  it('keeps a failed batch and sends it again with growing waits, in order; past the bound drops and counts', async () => {
    const { exporter, processor, events } = setup();
    processor.onEmit(record('a'));
    processor.onEmit(record('b'));
    await vi.advanceTimersByTimeAsync(0);
    exporter.fail();
    for (const b of ['c', 'd', 'e', 'f', 'g']) processor.onEmit(record(b)); // c, d, e fill it; f, g find it full
    expect(processor.buffered).toBe(5);
    expect(events.dropped).toBe(2);
    await vi.advanceTimersByTimeAsync(99);
    expect(exporter.sent).toHaveLength(1); // waiting out the first backoff (100 ms): new records do not cut it short
    await vi.advanceTimersByTimeAsync(1);
    expect(exporter.sent[1]).toEqual(['a', 'b']);
    exporter.fail();
    await vi.advanceTimersByTimeAsync(199);
    expect(exporter.sent).toHaveLength(2); // the second wait is twice as long
    await vi.advanceTimersByTimeAsync(1);
    exporter.ok();
    await vi.advanceTimersByTimeAsync(0);
    exporter.ok();
    await vi.advanceTimersByTimeAsync(20);
    exporter.ok();
    await vi.advanceTimersByTimeAsync(20);
    expect(exporter.sent.slice(2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(events).toEqual({ exported: 5, failed: 2, dropped: 2, rejected: 0 });
    expect(processor.buffered).toBe(0);
  });

  it('emits without waiting even while an export hangs', async () => {
    const { exporter, processor } = setup();
    for (let i = 0; i < 100; i++) processor.onEmit(record(String(i)));
    expect(exporter.waiting).toBe(false); // nothing is sent on the emitter's turn
    await vi.advanceTimersByTimeAsync(0);
    expect(exporter.waiting).toBe(true);
    expect(processor.buffered).toBe(5);
  });

  it('flushes what it holds when asked, and stops trying at the first failure', async () => {
    const { exporter, processor } = setup();
    for (const b of ['a', 'b', 'c']) processor.onEmit(record(b));
    const flushed = processor.forceFlush();
    await vi.advanceTimersByTimeAsync(0);
    exporter.ok();
    await vi.advanceTimersByTimeAsync(0);
    exporter.fail();
    await flushed;
    expect(exporter.sent).toEqual([['a', 'b'], ['c']]);
    expect(processor.buffered).toBe(1);
  });

  it('bounds the bytes it holds and sends, as well as the records', async () => {
    const { exporter, processor, events } = setup({
      maxBuffered: 100,
      maxBytes: 3_000,
      batchSize: 10,
      batchBytes: 1_500,
    });
    for (const b of ['a', 'b', 'c', 'd']) processor.onEmit(record(b, 'x'.repeat(600))); // about 850 bytes each
    expect([processor.buffered, events.dropped]).toEqual([3, 1]);
    processor.onEmit(record('big', 'x'.repeat(5_000))); // alone past the bound
    expect(events.dropped).toBe(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(exporter.sent).toEqual([['a']]); // a second would pass batchBytes
    exporter.ok();
    await vi.advanceTimersByTimeAsync(10);
    exporter.ok();
    await vi.advanceTimersByTimeAsync(10);
    exporter.ok();
    expect(exporter.sent).toEqual([['a'], ['b'], ['c']]);
  });

  it('gives up a batch the endpoint refuses as malformed (400), and halves one too large (413) down to one record', async () => {
    const { exporter, processor, events } = setup({ maxBuffered: 100, batchSize: 4 });
    for (const b of ['a', 'b', 'c', 'd', 'e', 'f']) processor.onEmit(record(b));
    await vi.advanceTimersByTimeAsync(0);
    exporter.refuse(400);
    await vi.advanceTimersByTimeAsync(10);
    expect(exporter.sent).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f'],
    ]); // the next batch goes at once
    exporter.refuse(413);
    await vi.advanceTimersByTimeAsync(0);
    expect(exporter.sent[2]).toEqual(['e']);
    exporter.refuse(413); // one record alone is too large: given up, or it would block the rest forever
    await vi.advanceTimersByTimeAsync(10);
    expect(exporter.sent[3]).toEqual(['f']);
    exporter.ok();
    await vi.advanceTimersByTimeAsync(10);
    expect(events).toEqual({ exported: 1, failed: 1, dropped: 0, rejected: 5 });
    expect(processor.buffered).toBe(0);
  });
});
