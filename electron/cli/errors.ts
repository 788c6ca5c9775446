// What `gatehouse` prints when something goes wrong: one line on stderr naming the problem and the fix, exit 1 —
// commander's own errors (an unknown option, a missing argument) as much as the commands' — never a stack trace.
import path from 'node:path';
import type { Command } from 'commander';
import { ApiRequestError } from '../../shared/api/operations.js';
import { errorMessage } from '../gateway/control/client.js';

/**
 * Commander's errors as `gatehouse: <problem> (see: gatehouse <command> --help)`, on one line, for every command: set
 * on each, since a subcommand copies its parent's settings only when it is created.
 */
export function explainUsageErrors(command: Command, name = command.name()): void {
  command.showHelpAfterError(false);
  command.configureOutput({
    outputError: (text, write) =>
      write(
        `${text
          .trim()
          .replace(/^error: /, 'gatehouse: ')
          .replace(/\s*\n\s*/g, ' ')} (see: ${name} --help)\n`,
      ),
  });
  for (const sub of command.commands) explainUsageErrors(sub, `${name} ${sub.name()}`);
}

/** A file-system error's problem, in words, by its code; the fix depends on whose path it is. */
const FILE_PROBLEMS: Record<string, { problem: (file: string) => string; fix: string }> = {
  ENOENT: { problem: (f) => `${f} does not exist`, fix: 'check the path' },
  EISDIR: { problem: (f) => `${f} is a folder, not a file`, fix: 'give the path of a file' },
  ENOTDIR: { problem: (f) => `${f}: a part of this path is a file, not a folder`, fix: 'check the path' },
  EEXIST: { problem: (f) => `${f} exists and is not a folder`, fix: 'check the path' },
  EACCES: { problem: (f) => `no permission to use ${f}`, fix: 'check its owner and mode (ls -l)' },
  EPERM: { problem: (f) => `no permission to use ${f}`, fix: 'check its owner and mode (ls -l)' },
  EROFS: { problem: (f) => `${f} is on a read-only file system`, fix: 'choose a writable place' },
  ENOSPC: { problem: (f) => `no space left to write ${f}`, fix: 'free some space' },
};

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A failed file-system call in words, or undefined for any other error. */
function fileProblem(err: unknown, home: string): string | undefined {
  const { code, path: file } = (err ?? {}) as NodeJS.ErrnoException;
  const known = code !== undefined ? FILE_PROBLEMS[code] : undefined;
  if (!known || typeof file !== 'string') return undefined;
  const fix = isInside(file, home)
    ? `use another home folder (--home DIR or GATEHOUSE_HOME), or make ${home} a folder you can write`
    : known.fix;
  return `${known.problem(file)}: ${fix}`;
}

/** The one line printed for an error that ended a command; `home` is the home folder the command used. */
export function failureMessage(err: unknown, home: string): string {
  if (err instanceof ApiRequestError && err.status === 0) {
    return `${err.message}: if the gateway of ${home} has stopped, start it again with "gatehouse serve"`;
  }
  return fileProblem(err, home) ?? errorMessage(err);
}
