// The health answer: ok, or degraded with every reason in words — and the team's counters as operators see them.
import { describe, expect, it } from 'vitest';
import { healthOf, type HealthInputs } from '../../../electron/gateway/telemetry/health.js';
import { counterBackendState } from '../../../electron/gateway/telemetry/metrics.js';

const inputs: HealthInputs = {
  gateway: 'host:/home/a',
  uptimeSeconds: 12,
  upstreams: [
    { name: 'ev', state: 'ready' },
    { name: 'off', state: 'disabled' },
  ],
  approvalsWaiting: 2,
  logWritable: true,
  logDir: '/home/a/logs',
  counters: { backend: 'local', state: 'local' },
  audit: undefined,
};

describe('healthOf', () => {
  it('is ok when everything works as configured (a disabled upstream is configured so)', () => {
    expect(healthOf(inputs)).toMatchObject({ status: 'ok', reasons: [], approvalsWaiting: 2 });
    expect(healthOf(inputs)).not.toHaveProperty('otlp');
  });

  it('is degraded naming each reason', () => {
    const health = healthOf({
      ...inputs,
      upstreams: [{ name: 'ev', state: 'failed' }],
      logWritable: false,
      counters: counterBackendState({
        state: 'unavailable',
        redis: 'redis://127.0.0.1:6390',
        team: 'blue',
        onUnavailable: 'deny',
        error: 'connect ECONNREFUSED',
      }),
      audit: {
        endpoint: 'http://collector:4318/v1/logs',
        state: 'failing',
        buffered: 40,
        exported: 10,
        dropped: 0,
        failedExports: 3,
        lastError: 'Request timed out',
      },
    });
    expect(health.status).toBe('degraded');
    expect(health.reasons).toEqual([
      'upstream "ev" is failed',
      'the call log (/home/a/logs) cannot be written: every call is refused until it can',
      'rate-limit counters (redis): Redis redis://127.0.0.1:6390 cannot be reached (connect ECONNREFUSED); limits shared with the team refuse their calls',
      'the OTLP endpoint http://collector:4318/v1/logs does not take audit records (Request timed out); 40 waiting',
    ]);
    expect(health.counters).toEqual({ backend: 'redis', state: 'unavailable' });
  });

  it('names the team counters connected, or falling back to local counting', () => {
    expect(counterBackendState({ state: 'connected', redis: 'redis://r:6379', team: 'blue' })).toEqual({
      backend: 'redis',
      state: 'connected',
    });
    expect(
      counterBackendState({ state: 'unavailable', redis: 'redis://r:6379', onUnavailable: 'local' }).problem,
    ).toContain('are counted by this gateway alone');
  });
});
