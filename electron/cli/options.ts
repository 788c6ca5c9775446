// Option and argument values checked as commander parses them (its argParser hook): a bad value is refused with
// commander's own error, naming the option, before any command runs.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';

export function parsePort(value: string): number {
  // Digits only: Number() would also take "0x10", "1e3" and " 80".
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(port) || port > 65535) {
    throw new InvalidArgumentError('Give a whole number from 0 to 65535 (0 picks a free port)');
  }
  return port;
}

/** --policy and policy check name an existing file: a mistyped path must not quietly start with a new, empty policy. */
export function parsePolicyFile(value: string): string {
  const file = path.resolve(value);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    throw new InvalidArgumentError(
      `${file} does not exist: give the path of a policy file (the home's own is <home>/policy.json)`,
    );
  }
  if (stat.isDirectory()) {
    throw new InvalidArgumentError(
      `${file} is a folder: give the policy file in it, e.g. ${path.join(file, 'policy.json')}`,
    );
  }
  return file;
}
