// GET /api/health's answer: ok, or degraded with each reason in words — an upstream that failed, an OTLP endpoint
// that does not take records, a call log that cannot be written, a counter backend with a problem.
import fs from 'node:fs';
import path from 'node:path';
import type { Health } from '../../../shared/api/health.js';
import type { UpstreamStatus } from '../../../shared/servers.js';
import type { AuditState } from './audit-trail.js';
import type { CounterBackendState } from './metrics.js';

export interface HealthInputs {
  gateway: string;
  uptimeSeconds: number;
  upstreams: readonly Pick<UpstreamStatus, 'name' | 'state'>[];
  approvalsWaiting: number;
  logWritable: boolean;
  logDir: string;
  counters: CounterBackendState;
  audit: AuditState | undefined;
}

/**
 * Whether the call log can be written — its folder, and today's file if it exists — as far as the file system says
 * without writing (a read-only or full disk aside; a call is refused when its line cannot be written).
 */
export function logWritable(dir: string, now: Date): boolean {
  try {
    if (!fs.statSync(dir).isDirectory()) return false;
    fs.accessSync(dir, fs.constants.W_OK);
    const today = path.join(dir, `${now.toISOString().slice(0, 10)}.jsonl`);
    if (fs.existsSync(today)) fs.accessSync(today, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function healthOf(inputs: HealthInputs): Health {
  const reasons: string[] = [];
  for (const { name, state } of inputs.upstreams) {
    if (state === 'failed' || state === 'restarting') reasons.push(`upstream "${name}" is ${state}`);
  }
  if (!inputs.logWritable) {
    reasons.push(`the call log (${inputs.logDir}) cannot be written: every call is refused until it can`);
  }
  if (inputs.counters.problem !== undefined) {
    reasons.push(`rate-limit counters (${inputs.counters.backend}): ${inputs.counters.problem}`);
  }
  const audit = inputs.audit;
  if (audit?.state === 'failing') {
    reasons.push(
      `the OTLP endpoint ${audit.endpoint} does not take audit records (${audit.lastError ?? 'no answer'}); ${audit.buffered} waiting`,
    );
  }
  return {
    status: reasons.length === 0 ? 'ok' : 'degraded',
    reasons,
    gateway: inputs.gateway,
    uptimeSeconds: inputs.uptimeSeconds,
    upstreams: inputs.upstreams.map(({ name, state }) => ({ name, state })),
    approvalsWaiting: inputs.approvalsWaiting,
    log: { writable: inputs.logWritable },
    counters: { backend: inputs.counters.backend, state: inputs.counters.state },
    ...(audit ? { otlp: audit } : {}),
  };
}
