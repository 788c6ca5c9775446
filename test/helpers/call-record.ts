// A call record for tests: sensible values for every field, overridden where a test cares.
import type { CallRecord } from '../../shared/call-record.js';

export function callRecord(id: string, extra: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    ts: '2026-11-24T10:00:00.000Z',
    grant: 'laptop',
    session: 's1',
    server: 'ev',
    tool: 'echo',
    exposedName: 'ev__echo',
    arguments: {},
    argsHash: 'h',
    decision: 'allow',
    rule: 'default',
    reason: '',
    policyVersion: 'v1',
    status: 'ok',
    ...extra,
  };
}
