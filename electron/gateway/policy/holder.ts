// The policy in force: the last good compiled policy and its version. A bad file never replaces a good one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parsePolicyText, formatPolicyError } from './load.js';
import type { CompiledPolicy } from './compile.js';

export interface PolicyInForce {
  compiled: CompiledPolicy;
  /** sha256 of the file's text, first 12 hex digits: named in every call record. */
  version: string;
  text: string;
}

export function policyVersion(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12);
}

class PolicyLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid policy:\n  ${problems.join('\n  ')}`);
  }
}

/** Reads and compiles a policy file; throws PolicyLoadError naming every problem. */
export function loadPolicyFile(file: string): PolicyInForce {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyLoadError(file, [`cannot be read (${(err as Error).message})`]);
  }
  const parsed = parsePolicyText(text, file);
  if (!parsed.ok)
    throw new PolicyLoadError(
      file,
      parsed.errors.map((e) => formatPolicyError(e, file)),
    );
  return { compiled: parsed.compiled, version: policyVersion(text), text };
}

export class PolicyHolder {
  constructor(private current: PolicyInForce) {}

  get(): PolicyInForce {
    return this.current;
  }

  set(next: PolicyInForce): void {
    this.current = next;
  }
}
