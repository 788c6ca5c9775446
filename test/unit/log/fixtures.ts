// Builders shared by the call-log tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallRecord } from '../../../shared/call-record.js';

export function record(id: string, ts: string, extra: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    ts,
    grant: 'g',
    session: 's',
    server: 'ev',
    tool: 'echo',
    exposedName: 'ev__echo',
    arguments: {},
    argsHash: 'sha256:0',
    decision: 'allow',
    rule: 'default',
    reason: '',
    policyVersion: 'v',
    status: 'pending',
    ...extra,
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-log-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
