// What is measured on every target: sequential echo latency and throughput with 16 requests in flight on one
// session (the SDK client gives each request its own JSON-RPC id, which the Streamable HTTP transport needs).
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { cpuMs } from './procs.mjs';

export const INFLIGHT = 16;

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function echo(target, i) {
  const r = await target.client.request(
    { method: 'tools/call', params: { name: target.echoName, arguments: { message: `m${i}` } } },
    CallToolResultSchema,
    { timeout: 30_000 },
  );
  if (r.isError) throw new Error(`echo failed: ${JSON.stringify(r.content)}`);
}

/** `n` calls one after another; each latency (µs) is pushed into `into`. */
export async function latency(target, n, into) {
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await echo(target, i);
    into.push(Number(process.hrtime.bigint() - t) / 1000);
  }
}

/** `total` calls with INFLIGHT at a time; returns the elapsed seconds. */
export async function throughput(target, total) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: INFLIGHT }, async () => {
      while (next < total) await echo(target, next++);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * One turn of a target: `latencyCalls` sequential calls (each latency pushed into `into.latency`), then
 * `throughputCalls` at INFLIGHT at a time; adds their seconds and count, and the CPU the processes `pids` used, to
 * `into`.
 */
export async function turn(target, into, { latencyCalls, throughputCalls, pids = [target.pid] }) {
  const cpuBefore = pids.map(cpuMs);
  await latency(target, latencyCalls, into.latency);
  into.seconds += await throughput(target, throughputCalls);
  into.calls += throughputCalls;
  into.cpuMs += pids.map(cpuMs).reduce((sum, v, i) => sum + v - cpuBefore[i], 0);
}

/**
 * The targets in the order of one round: drawn from the round's number (Fisher–Yates with a small LCG), so it differs
 * from round to round but is the same in every run. No target always runs first, or always just after the same
 * neighbour — what one leaves behind (garbage in the client, a busy core) would then always fall on the same one.
 */
export function roundOrder(items, round) {
  const out = [...items];
  let state = (round * 2654435761 + 12345) >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function summarize(samples, calls, seconds) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50Us: Math.round(percentile(sorted, 50)),
    p90Us: Math.round(percentile(sorted, 90)),
    p99Us: Math.round(percentile(sorted, 99)),
    latencyCalls: sorted.length,
    callsPerSecond: seconds > 0 ? Math.round(calls / seconds) : NaN,
  };
}
