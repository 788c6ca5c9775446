// Builders shared by the call-log tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallRecord } from '../../../shared/call-record.js';
import { callRecord } from '../../helpers/call-record.js';

/** A decision line as the writer leaves it before the outcome. */
export const record = (id: string, ts: string, extra: Partial<CallRecord> = {}): CallRecord =>
  callRecord(id, {
    ts,
    grant: 'g',
    session: 's',
    argsHash: 'sha256:0',
    policyVersion: 'v',
    status: 'pending',
    ...extra,
  });

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-log-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
