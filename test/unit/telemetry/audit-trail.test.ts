// The audit trail past its bound, with the real OpenTelemetry exporter: an endpoint that is down makes the buffer
// fill; what comes after is dropped, counted and said once in the diagnostics; once the endpoint is back, what was
// held arrives and the drops are summed up.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../shared/call-record.js';
import { AuditTrail, logsUrl } from '../../../electron/gateway/telemetry/audit-trail.js';
import { OtlpReceiver, until } from '../../integration/telemetry/otlp-receiver.js';

const record = (i: number): CallRecord => ({
  id: `call-${i}`,
  ts: new Date().toISOString(),
  grant: 'ci',
  session: 's1',
  server: 'ev',
  tool: 'echo',
  exposedName: 'ev__echo',
  arguments: { message: `m${i}` },
  argsHash: 'h',
  decision: 'allow',
  rule: 'default',
  reason: 'allowed by the default policy',
  policyVersion: 'v1',
  status: 'ok',
  durationMs: 2,
});

let trail: AuditTrail | undefined;
const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await trail?.close();
  for (const r of receivers.splice(0)) await r.stop();
});

describe('AuditTrail', () => {
  it('past the bound drops new records, counts them and says so once; the held ones arrive when the endpoint is back', async () => {
    const otlp = new OtlpReceiver();
    receivers.push(otlp);
    await otlp.start();
    await otlp.stop(); // a port that refuses, until started again
    const lines: string[] = [];
    trail = new AuditTrail({
      gateway: 'test-host:/home',
      diagnostics: (l) => lines.push(l),
      buffer: { maxBuffered: 10, batchSize: 4, firstRetryMs: 50, maxRetryMs: 100 },
      timeoutMs: 300,
    });
    trail.configure({ endpoint: otlp.url });
    for (let i = 0; i < 25; i++) trail.record(record(i));
    expect(trail.state()).toMatchObject({ buffered: 10, dropped: 15, exported: 0 });
    expect(lines.filter((l) => l.includes('the buffer is full'))).toHaveLength(1);
    await until(() => trail!.state()?.state === 'failing', 5_000, 'the trail fails');
    expect(lines.filter((l) => l.includes('failed (connect ECONNREFUSED'))).toHaveLength(1);

    await otlp.start();
    await until(() => otlp.records.length === 10, 5_000, `10 records (got ${otlp.records.length})`);
    expect(otlp.records.map((r) => r.attributes['gatehouse.call.id'])).toEqual(
      Array.from({ length: 10 }, (_, i) => `call-${i}`),
    );
    expect(trail.state()).toMatchObject({ state: 'ok', buffered: 0, dropped: 15, exported: 10 });
    expect(lines.join('\n')).toContain('15 records were dropped while it was full (15 since start');
  });

  it('moves to a new endpoint and stops when settings say so', async () => {
    const [a, b] = [new OtlpReceiver(), new OtlpReceiver()];
    receivers.push(a, b);
    await Promise.all([a.start(), b.start()]);
    trail = new AuditTrail({ gateway: 'g', diagnostics: () => undefined, buffer: { delayMs: 10 } });
    trail.configure({ endpoint: a.url });
    trail.record(record(1));
    await until(() => a.records.length === 1, 5_000, 'the record at a');
    trail.configure({ endpoint: a.url }); // the same settings again change nothing
    trail.configure({ endpoint: `${b.url}/v1/logs`, headers: { 'x-team': 'blue' } });
    trail.record(record(2));
    await until(() => b.records.length === 1, 5_000, 'the record at b');
    expect(b.headers[0]?.['x-team']).toBe('blue');
    trail.configure(undefined);
    trail.record(record(3));
    expect(trail.state()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect([a.records.length, b.records.length]).toEqual([1, 1]);
  });

  it('posts to the OTLP logs path of the endpoint', () => {
    expect(logsUrl('http://collector:4318')).toBe('http://collector:4318/v1/logs');
    expect(logsUrl('http://collector:4318/')).toBe('http://collector:4318/v1/logs');
    expect(logsUrl('https://otlp.example.com/team-a')).toBe('https://otlp.example.com/team-a/v1/logs');
    expect(logsUrl('http://collector:4318/v1/logs')).toBe('http://collector:4318/v1/logs');
  });
});
