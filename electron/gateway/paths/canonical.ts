// The readings of a path argument: each way a server may take the string (as written, percent-decoded, as a file://
// URI, `~` expanded, relative to each of its folders), made canonical as the OS will open it. Pure but for
// PathSystem.
import path from 'node:path';
import type { PathSystem } from './system.js';

type PathApi = typeof path.posix;

const apiOf = (platform: NodeJS.Platform): PathApi => (platform === 'win32' ? path.win32 : path.posix);

const FILE_URL = /^file:/i;
const OTHER_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const PATH_MARK = /[\\/]|^~|^\.\.?$|%(?:2f|5c|2e)/i;
const PERCENT = /%[0-9a-f]{2}/i;
/** How many times a string is percent-decoded: once by a server, more by a careless one. */
const MAX_DECODES = 3;

/** macOS and Windows file systems compare names without regard to case (by default). */
export function caseInsensitive(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** The form canonical paths are compared in: `/` separators, NFC, lower-cased where the file system ignores case. */
export function comparisonKey(file: string, platform: NodeJS.Platform): string {
  const slashed = (platform === 'win32' ? file.replaceAll('\\', '/') : file).normalize('NFC');
  return caseInsensitive(platform) ? slashed.toLowerCase() : slashed;
}

/** Whether `key` is `folderKey` or lies under it (both comparison keys). */
export function isInside(key: string, folderKey: string): boolean {
  if (key === folderKey) return true;
  return key.startsWith(folderKey.endsWith('/') ? folderKey : `${folderKey}/`);
}

/**
 * Whether a string may name a file: it has a separator, starts with `~`, is `.` or `..`, is a file:// URI, or
 * percent-encodes a separator or a dot. Other strings are never canonicalised (no file system access for them).
 */
export function looksLikePath(text: string): boolean {
  if (text.length === 0) return false;
  if (FILE_URL.test(text)) return true;
  if (OTHER_URL.test(text)) return false;
  return PATH_MARK.test(text);
}

/** Every canonical path a string may stand for; `complete` is false when some reading of it could not be made. */
export interface Readings {
  paths: string[];
  complete: boolean;
}

/**
 * Every canonical path `text` may stand for. A relative path is read against each of `folders` (absolute); a reading
 * is missing (and `complete` false) for a relative path with no folder, a file:// URI of another host, or a Windows
 * drive-relative path.
 */
export function readings(text: string, folders: readonly string[], system: PathSystem): Readings {
  const api = apiOf(system.platform);
  const spellings = spellingsOf(text, system);
  if (spellings === undefined) return { paths: [], complete: false };
  const out = new Set<string>();
  let complete = true;
  for (const spelling of spellings) {
    const expanded = expandTilde(spelling, system.userHome, api);
    let absolutes: string[];
    if (api === path.win32 && /^[a-z]:(?![\\/])/i.test(expanded)) absolutes = [];
    else if (api.isAbsolute(expanded)) absolutes = [expanded];
    else absolutes = folders.map((folder) => `${folder}${api.sep}${expanded}`);
    // The server's own working directory, named from inside it (Linux): relative to each of its folders.
    const ownCwd =
      system.platform === 'linux' ? /^\/proc\/(?:self|thread-self)\/cwd(?:\/|$)/.exec(expanded) : null;
    if (ownCwd) absolutes.push(...folders.map((folder) => `${folder}/${expanded.slice(ownCwd[0].length)}`));
    if (absolutes.length === 0) complete = false;
    for (const absolute of absolutes) {
      for (const form of canonicalForms(absolute, system, api)) out.add(form);
    }
  }
  return { paths: [...out], complete };
}

/** `readings` as comparison keys: what a path rule compares with its folders (policy/args.ts). */
export function canonicalKeys(
  text: string,
  folders: readonly string[],
  system: PathSystem,
): { keys: string[]; complete: boolean } {
  const { paths, complete } = readings(text, folders, system);
  return { keys: paths.map((canonical) => comparisonKey(canonical, system.platform)), complete };
}

/** The strings a server (or a shell it passes them to) may make of `text` before it opens anything. */
function spellingsOf(text: string, system: PathSystem): Set<string> | undefined {
  const { platform } = system;
  const out = new Set<string>();
  const add = (spelling: string) => {
    out.add(spelling);
    // C strings end at the first NUL: a server written in C (or passing the string to one) opens the part before.
    const nul = spelling.indexOf('\0');
    if (nul >= 0) out.add(spelling.slice(0, nul));
    // Some servers trim whitespace and quotes first (server-filesystem does).
    const trimmed = spelling.trim().replace(/^["']|["']$/g, '');
    if (trimmed !== spelling && trimmed !== '') out.add(trimmed);
  };
  if (FILE_URL.test(text)) {
    const fromUrl = fileUrlPaths(text, platform);
    if (fromUrl === undefined) return undefined;
    fromUrl.forEach(add);
  } else add(text);
  for (const spelling of [...out]) {
    let current = spelling;
    for (let round = 0; round < MAX_DECODES && PERCENT.test(current); round += 1) {
      const next = percentDecode(current);
      if (next === current) break;
      add(next);
      // An encoded file:// URI, decoded, is a URI a server may parse.
      if (FILE_URL.test(next)) fileUrlPaths(next, platform)?.forEach(add);
      current = next;
    }
  }
  for (const spelling of [...out]) {
    if (spelling.includes('$') || spelling.includes('%')) {
      const expanded = expandVariables(spelling, system);
      if (expanded !== spelling) add(expanded);
    }
  }
  // On POSIX a backslash is part of a name, but a server may take it for a separator.
  if (platform !== 'win32') {
    for (const spelling of [...out]) if (spelling.includes('\\')) out.add(spelling.replaceAll('\\', '/'));
  }
  return out;
}

/** A file:// URI as the WHATWG parser reads it (dots resolved), and as written (for servers that cut the prefix). */
function fileUrlPaths(text: string, platform: NodeJS.Platform): string[] | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'file:') return undefined;
  const host = url.hostname.toLowerCase();
  const local = host === '' || host === 'localhost';
  if (!local && platform !== 'win32') return undefined;
  const asPath = (pathname: string) => {
    if (!local) return `\\\\${url.hostname}${pathname.replaceAll('/', '\\')}`;
    return platform === 'win32' && /^\/[a-z](?::|%3a)/i.test(pathname) ? pathname.slice(1) : pathname;
  };
  const out = [asPath(url.pathname)];
  const written = /^file:\/\/([^/?#]*)(\/[^?#]*)/i.exec(text);
  if (written?.[2] !== undefined) out.push(asPath(written[2]));
  return out;
}

/** What a shell expands to the user's folders: `$HOME`, `${XDG_CONFIG_HOME}`, `%USERPROFILE%`, `%APPDATA%`. */
function expandVariables(text: string, system: PathSystem): string {
  return text
    .replace(/\$\{?HOME\}?(?![A-Za-z0-9_])/g, () => system.userHome)
    .replace(/\$\{?XDG_CONFIG_HOME\}?(?![A-Za-z0-9_])/g, () => system.appData)
    .replace(/%(USERPROFILE|HOME|APPDATA)%/gi, (_match, name: string) =>
      name.toUpperCase() === 'APPDATA' ? system.appData : system.userHome,
    );
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed sequence elsewhere: still decode the ASCII escapes (separators and dots).
    return text.replace(/%([0-7][0-9a-f])/gi, (_match, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
  }
}

function expandTilde(spelling: string, userHome: string, api: PathApi): string {
  const match = (api === path.win32 ? /^~([^\\/]*)(?:[\\/]([^]*))?$/ : /^~([^/]*)(?:\/([^]*))?$/).exec(
    spelling,
  );
  if (!match) return spelling;
  const [, user = '', rest] = match;
  const base = user === '' ? userHome : `${api.dirname(userHome)}${api.sep}${user}`;
  return rest === undefined ? base : `${base}${api.sep}${rest}`;
}

/**
 * The path with `.`, `..` and repeated separators resolved as a string (as most servers do before they open it), and
 * — when it has `..` — as the OS resolves it (a symlink first, then its parent): each with symlinks resolved.
 */
function canonicalForms(absolute: string, system: PathSystem, api: PathApi): string[] {
  let lexical = api.normalize(absolute);
  if (api === path.win32) lexical = windowsName(lexical);
  const forms = [realPrefix(lexical, system, api)];
  if (/(?:^|[\\/])\.\.(?:[\\/]|$)/.test(absolute)) forms.push(realPrefix(absolute, system, api));
  // macOS: the data volume's firmlink is the same folder under another name, and realpath keeps it.
  const firmlinked = system.platform === 'darwin' ? /^\/system\/volumes\/data(?=\/)/i.exec(lexical) : null;
  if (firmlinked) forms.push(realPrefix(lexical.slice(firmlinked[0].length), system, api));
  return forms;
}

/**
 * What Windows opens: no `\\?\` prefix, this machine's admin share (`\\localhost\c$`) as its drive, no trailing dots
 * or spaces in a name, no `:stream` suffix.
 */
function windowsName(file: string): string {
  const unprefixed = file
    .replace(/^\\\\[?.]\\UNC\\/i, '\\\\')
    .replace(/^\\\\[?.]\\(?=[a-z]:)/i, '')
    .replace(/^\\\\(?:localhost|127\.0\.0\.1)\\([a-z])\$(?=\\|$)/i, '$1:');
  const { root } = path.win32.parse(unprefixed);
  const names = unprefixed
    .slice(root.length)
    .split('\\')
    .map((name) => (name === '.' || name === '..' ? name : name.replace(/:.*$/, '').replace(/[. ]+$/, '')));
  return path.win32.normalize(root + names.join('\\'));
}

/**
 * The real path of the longest part of `file` that exists, followed by the rest as written. Whether a part exists only
 * ever changes once along a path (the OS stops at the first name it cannot open), so it is found by halving: a few
 * system calls however deep the path.
 */
function realPrefix(file: string, system: PathSystem, api: PathApi): string {
  const whole = system.realpath(file);
  if (whole !== undefined) return whole;
  const parent = api.dirname(file);
  if (parent !== file) {
    const realParent = system.realpath(parent);
    if (realParent !== undefined) return api.join(realParent, api.basename(file));
  }
  const { root } = api.parse(file);
  const names = file.slice(root.length).split(api === path.win32 ? /[\\/]/ : '/');
  const prefix = (count: number) => root + names.slice(0, count).join(api.sep);
  // The first `low` names exist (none: the root); the first `high` do not (all but the last was tried above).
  let low = 0;
  let high = names.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (system.exists(prefix(middle))) low = middle;
    else high = middle;
  }
  const real = (low === 0 ? system.realpath(root) : system.realpath(prefix(low))) ?? prefix(low);
  return api.join(real, ...names.slice(low));
}
