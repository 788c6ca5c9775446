// Small, careful file helpers: atomic writes with explicit modes, and JSON reads whose errors name the file.
import fs from 'node:fs';
import path from 'node:path';

/** Writes through a temporary file and a rename, so a reader never sees half a file. Follows a symlink to its target. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(tmp, data, { mode });
  try {
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** A file opened for reading; undefined when it has gone, or is no regular file (a folder or a device is never read). */
export function openFileIfExists(file: string): number | undefined {
  try {
    return fs.statSync(file).isFile() ? fs.openSync(file, 'r') : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A warning when a secret file written by someone else is readable by group or others (POSIX only). */
export function tooOpenWarning(file: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) {
      return `${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 "${file}"`;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return undefined;
}

export class FileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Parses a JSON file; the error names the file and where the syntax broke. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new FileError(file, `is not valid JSON (${(err as Error).message}); fix the file or move it aside`);
  }
}

/** The names in a folder; [] when the folder does not exist. */
export function readDirIfExists(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
