// A client's config file on disk: read once with what connect needs to know (the real file behind a symlink, whether
// it can be written), written back only if nobody changed it meanwhile, through a temporary file and a rename.
import fs from 'node:fs';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** A refusal: what is wrong and what to do; nothing was changed. */
export class ConnectError extends Error {
  constructor(problem: string, fix: string) {
    super(`${problem}. ${fix}. Nothing was changed.`);
  }
}

export interface ConfigFile {
  /** The path as the user named it (a symlink stays a symlink: the real file behind it is edited). */
  file: string;
  real: string;
  /** The text as read; "" when the file does not exist yet. */
  text: string;
  exists: boolean;
  mode: number;
}

export function readConfigFile(file: string): ConfigFile {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink())
      throw new ConnectError(`${file} is a symlink to a file that does not exist`, 'Fix or remove the link');
    if (!fs.existsSync(path.dirname(file)))
      throw new ConnectError(
        `${path.dirname(file)} does not exist: is the client installed?`,
        'Start it once, or give the config file with --config-path FILE',
      );
    return { file, real: file, text: '', exists: false, mode: 0o600 };
  }
  const stat = fs.statSync(real);
  if (!stat.isFile())
    throw new ConnectError(`${real} is not a file`, 'Give the config file with --config-path FILE');
  // The mode bits, not access(): running as root, access() says yes to a file its owner made read-only.
  if ((stat.mode & 0o200) === 0)
    throw new ConnectError(
      `${real} is read-only`,
      `Make it writable (chmod u+w "${real}") if you mean Gatehouse to edit it, and run again`,
    );
  return { file, real, text: fs.readFileSync(real, 'utf8'), exists: true, mode: stat.mode & 0o777 };
}

/** The file's JSON value; comments are allowed only where the client allows them. */
export function parseConfigText(file: string, text: string, comments: boolean): unknown {
  if (text.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: !comments, allowTrailingComma: comments });
  const first = errors[0];
  if (first) {
    const before = text.slice(0, first.offset).split('\n');
    const where = `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
    throw new ConnectError(
      `${file} is not valid JSON (${where}: ${printParseErrorCode(first.error)})`,
      'Fix the file (or move it aside) and run again',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConnectError(
      `${file} does not hold a JSON object`,
      'Fix the file (or move it aside) and run again',
    );
  return value;
}

/** Writes `text` over the file read as `read`, refusing if it changed since; keeps its mode. */
export function writeConfigFile(read: ConfigFile, text: string): void {
  const now = fs.existsSync(read.real) ? fs.readFileSync(read.real, 'utf8') : undefined;
  if ((now ?? '') !== read.text || (now === undefined) === read.exists)
    throw new ConnectError(
      `${read.file} changed while Gatehouse was editing it (the client or another program wrote it)`,
      'Run the command again',
    );
  const tmp = path.join(path.dirname(read.real), `.${path.basename(read.real)}.gatehouse-${process.pid}.tmp`);
  fs.writeFileSync(tmp, text, { mode: read.mode });
  try {
    fs.chmodSync(tmp, read.mode);
    fs.renameSync(tmp, read.real);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
