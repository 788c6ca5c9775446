// The tripwire: a call whose arguments mention the Gatehouse home, an MCP client's config file, or the gateway's
// port always needs a person's approval, whatever the policy says — an agent must not edit its own gate. It compares
// what the OS will open (paths/), not strings, and the port in every spelling a URL parser accepts.
import path from 'node:path';
import { caseInsensitive, comparisonKey, isInside, looksLikePath, readings } from '../paths/canonical.js';
import { nodePathSystem, remembering, type PathSystem } from '../paths/system.js';

export interface TripwireTargets {
  home: string;
  /** The policy file in force: it may live outside the home (`--policy`), or be a symlink out of it. */
  policyFile?: string;
  /** The port the gateway serves on. */
  port: () => number;
}

/** Why the tripwire fires for a call's arguments, or undefined; `folders` are the server's (paths/server-folders). */
export type TripwireCheck = (args: unknown, folders: readonly string[]) => string | undefined;

/** Names found anywhere in a string, as before paths were canonicalised: cheap, and still worth saying. */
const CLIENT_CONFIG_NAMES = [
  'claude_desktop_config.json',
  '.cursor/mcp.json',
  '.cursor\\mcp.json',
  '.vscode/mcp.json',
  'mcp_config.json',
  '.mcp.json',
  'cline_mcp_settings.json',
];
const CLIENT_CONFIG_NAMES_LOWER = CLIENT_CONFIG_NAMES.map((name) => name.toLowerCase());
const GATEHOUSE_FILE_NAMES = /gatehouse[\\/](policy|servers|grants|settings)\.json|[\\/]gatehouse[\\/]/i;
/** Client config files by the end of their canonical path (as keys: `/`, and lower case where it applies). */
const CONFIG_SUFFIXES = ['/.vscode/mcp.json', '/.cursor/mcp.json'];
const CONFIG_BASENAMES = new Set([
  'claude_desktop_config.json',
  'mcp_config.json',
  '.mcp.json',
  'cline_mcp_settings.json',
]);
/** VS Code's user folders (under the app-data folder): any mcp.json below them, profiles included. */
const VSCODE_USER_FOLDERS = ['Code/User', 'Code - Insiders/User', 'VSCodium/User', 'Cursor/User'];

/** Where a shell, a URL or JSON text separates words: a path or a host:port is looked for in each. */
const WORD_BREAK = /[\s"'`=;|&<>(){},]+/;
const HAS_WORD_BREAK = /[\s"'`=;|&<>(){},]/;
/** Longer strings are read whole only: file contents, not commands. */
const MAX_SPLIT_LENGTH = 65_536;
/**
 * Path-like words inside longer strings canonicalised per call at most (each costs a few system calls). Every string
 * argument is still read whole, however many there are; this bounds only the words of commands and text.
 */
const MAX_INNER_PATHS = 256;
/**
 * Canonical paths looked at per call at most (each took a system call or three, on the event loop). More than that is
 * not a call anyone needs unasked: the tripwire fires.
 */
const MAX_READINGS = 4096;
const MAX_NAME_LENGTH = 255;
const HOST_WORDS = /(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0|:\d|port)/i;

/** How long the real paths of the guarded files are trusted before they are looked up again. */
const GUARDED_REFRESH_MS = 1000;

/** The files the tripwire guards besides the home, as comparison keys (with their symlinks resolved). */
interface Guarded {
  files: Map<string, 'policy' | 'client'>;
  /** Their names, and the names guarded in any folder: a bare name with one of these is looked at closely. */
  names: Set<string>;
  vscodeUser: string[];
  at: number;
}

/** One folder of a server, as a comparison key, and whether it lies in the home (then any name in it does). */
interface FolderKey {
  key: string;
  inHome: boolean;
}

/** What one check has looked at so far. */
interface Scan {
  folders: readonly string[];
  seen: Set<string>;
  innerPaths: number;
  readings: number;
  /** The file system as this check has seen it: paths of one call share their folders. */
  system?: PathSystem;
}

export function tripwireCheck(
  targets: TripwireTargets,
  system: PathSystem = nodePathSystem(),
  clock: () => number = Date.now,
): TripwireCheck {
  const tripwire = new Tripwire(targets, system, clock);
  return (args, folders) => tripwire.reason(args, folders);
}

class Tripwire {
  private readonly api: typeof path.posix;
  private readonly home: string;
  /** The home as written, then anything but a letter of a longer name (`/x/gh` is not in `/x/gh-other`). */
  private readonly homeMention: RegExp;
  /** The home as a key, lexical and real: it is Gatehouse's own folder, so its real path is taken once. */
  private homeKeys: string[] | undefined;
  private guarded: Guarded | undefined;
  private readonly folderKeys = new WeakMap<readonly string[], FolderKey[]>();
  private portChecks: { port: number; digits: RegExp; alone: RegExp } | undefined;

  constructor(
    private readonly targets: TripwireTargets,
    private readonly system: PathSystem,
    private readonly clock: () => number,
  ) {
    this.api = system.platform === 'win32' ? path.win32 : path.posix;
    this.home = this.api.resolve(targets.home).replace(/[\\/]+$/, '') || this.api.sep;
    const escaped = this.home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.homeMention = new RegExp(
      `${escaped}(?![^\\\\/\\s"'\`;|&<>(){},:])`,
      caseInsensitive(system.platform) ? 'i' : '',
    );
  }

  reason(args: unknown, folders: readonly string[]): string | undefined {
    const scan: Scan = { folders, seen: new Set(), innerPaths: 0, readings: 0 };
    for (const text of strings(args)) {
      const found = this.checkString(text, scan);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private key(file: string): string {
    return comparisonKey(file, this.system.platform);
  }

  private checkString(text: string, scan: Scan): string | undefined {
    if (this.homeMention.test(text)) return `the arguments mention the Gatehouse home (${this.home})`;
    const lower = text.toLowerCase();
    const at = CLIENT_CONFIG_NAMES_LOWER.findIndex((name) => lower.includes(name));
    if (at >= 0) return `the arguments mention an MCP client's config file (${CLIENT_CONFIG_NAMES[at]})`;
    const port = this.ports();
    if (port.alone.test(text) || (port.digits.test(text) && HOST_WORDS.test(text))) {
      return `the arguments mention the gateway's port ${port.port}`;
    }
    const words =
      text.length <= MAX_SPLIT_LENGTH && HAS_WORD_BREAK.test(text)
        ? [text, ...text.split(WORD_BREAK).filter((word) => word !== '')]
        : [text];
    for (const word of words) {
      if (word.includes(':') && loopbackUrlPort(word) === port.port) {
        return `the arguments mention the gateway's port ${port.port} (${shorten(word)})`;
      }
    }
    for (let index = 0; index < words.length; index += 1) {
      const word = words[index]!;
      const pathLike = looksLikePath(word);
      if (index > 0 && pathLike && ++scan.innerPaths > MAX_INNER_PATHS) break;
      const found = pathLike ? this.checkPath(word, scan) : this.checkName(word, scan);
      if (found !== undefined) return found;
    }
    if (GATEHOUSE_FILE_NAMES.test(text)) return 'the arguments mention Gatehouse’s own files';
    return undefined;
  }

  private ports(): { port: number; digits: RegExp; alone: RegExp } {
    const port = this.targets.port();
    if (this.portChecks?.port !== port) {
      this.portChecks = {
        port,
        digits: new RegExp(`(?:^|[^0-9])0*${port}(?:$|[^0-9])`),
        alone: new RegExp(`^\\s*0*${port}\\s*$`),
      };
    }
    return this.portChecks;
  }

  private checkPath(word: string, scan: Scan): string | undefined {
    if (scan.seen.has(word)) return undefined;
    scan.seen.add(word);
    scan.system ??= remembering(this.system);
    const { paths } = readings(word, scan.folders, scan.system);
    scan.readings += paths.length;
    if (scan.readings > MAX_READINGS) {
      return `the arguments hold more paths than the tripwire reads in one call (${MAX_READINGS})`;
    }
    for (const canonical of paths) {
      const found = this.guardedPath(canonical, word);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * A bare name (no separator) is a path too, in each of the server's folders. It is canonicalised only where it
   * would be the home, a name in a folder of the home, or have the name of a guarded file (of its real file too).
   */
  private checkName(word: string, scan: Scan): string | undefined {
    if (word.length === 0 || word.length > MAX_NAME_LENGTH || scan.folders.length === 0) return undefined;
    const name = this.key(word);
    const homeKeys = this.homeKeysNow();
    const guardedName = this.guardedNow().names.has(name);
    for (const folder of this.foldersAsKeys(scan.folders)) {
      const joined = folder.key.endsWith('/') ? `${folder.key}${name}` : `${folder.key}/${name}`;
      if (folder.inHome || guardedName || homeKeys.includes(joined)) return this.checkPath(word, scan);
    }
    return undefined;
  }

  private foldersAsKeys(folders: readonly string[]): FolderKey[] {
    let keys = this.folderKeys.get(folders);
    if (keys === undefined) {
      const homeKeys = this.homeKeysNow();
      keys = folders.map((folder) => {
        const key = this.key(folder);
        return { key, inHome: homeKeys.some((home) => isInside(key, home)) };
      });
      this.folderKeys.set(folders, keys);
    }
    return keys;
  }

  private homeKeysNow(): string[] {
    this.homeKeys ??= unique([this.home, this.system.realpath(this.home)].map((f) => f && this.key(f)));
    return this.homeKeys;
  }

  /** The reason a canonical path is guarded, or undefined. */
  private guardedPath(canonical: string, written: string): string | undefined {
    const key = this.key(canonical);
    const opens = written === canonical ? '' : `: "${shorten(written)}" opens ${canonical}`;
    if (this.homeKeysNow().some((home) => isInside(key, home))) {
      return `the arguments mention the Gatehouse home (${this.home})${opens}`;
    }
    const guarded = this.guardedNow();
    const label = guarded.files.get(key);
    if (label === 'policy') return `the arguments mention Gatehouse’s own files (${canonical})${opens}`;
    if (label !== undefined || isClientConfig(key, guarded.vscodeUser)) {
      return `the arguments mention an MCP client's config file (${canonical})${opens}`;
    }
    return undefined;
  }

  /** The guarded files may appear, move or become symlinks any time: their real paths are looked up again often. */
  private guardedNow(): Guarded {
    const now = this.clock();
    if (this.guarded !== undefined && now - this.guarded.at < GUARDED_REFRESH_MS) return this.guarded;
    const { api, system } = this;
    const files = new Map<string, 'policy' | 'client'>();
    const names = new Set([...CONFIG_BASENAMES, 'mcp.json'].map((name) => this.key(name)));
    const guard = (file: string, label: 'policy' | 'client') => {
      for (const form of [file, system.realpath(file)]) {
        if (form === undefined) continue;
        files.set(this.key(form), label);
        names.add(this.key(api.basename(form)));
      }
    };
    for (const file of clientConfigFiles(system, api)) guard(file, 'client');
    if (this.targets.policyFile !== undefined) guard(api.resolve(this.targets.policyFile), 'policy');
    const vscodeUser = VSCODE_USER_FOLDERS.flatMap((folder) => {
      const lexical = api.join(system.appData, ...folder.split('/'));
      return unique([lexical, system.realpath(lexical)].map((f) => f && this.key(f)));
    });
    this.guarded = { files, names, vscodeUser, at: now };
    return this.guarded;
  }
}

/** Every string in a JSON value, keys too, numbers as written; iterative, so no nesting depth can overflow it. */
function strings(value: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number') out.push(String(item));
    else if (Array.isArray(item)) for (let i = item.length - 1; i >= 0; i -= 1) stack.push(item[i]);
    else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [k, v] = entries[i] as [string, unknown];
        stack.push(v, k);
      }
    }
  }
  return out;
}

function clientConfigFiles(system: PathSystem, api: typeof path.posix): string[] {
  const home = system.userHome;
  const files = [
    api.join(system.appData, 'Claude', 'claude_desktop_config.json'),
    api.join(home, '.cursor', 'mcp.json'),
    api.join(home, '.claude.json'),
    api.join(home, '.codeium', 'windsurf', 'mcp_config.json'),
  ];
  if (system.platform === 'linux')
    files.push(api.join(home, '.config', 'Claude', 'claude_desktop_config.json'));
  return files;
}

function isClientConfig(key: string, vscodeUser: readonly string[]): boolean {
  if (CONFIG_SUFFIXES.some((suffix) => key.endsWith(suffix))) return true;
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (CONFIG_BASENAMES.has(name)) return true;
  return name === 'mcp.json' && vscodeUser.some((folder) => isInside(key, folder));
}

/** The port of a URL (or `host:port`) whose host is this machine, in any spelling the WHATWG parser accepts. */
function loopbackUrlPort(word: string): number | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(word);
  let url: URL;
  try {
    // A scheme the parser does not know keeps its host as written: read it as http to normalise the host.
    url = new URL(
      scheme && !SPECIAL_SCHEMES.has(scheme[1]!.toLowerCase())
        ? `http${word.slice(scheme[1]!.length)}`
        : scheme
          ? word
          : `http://${word}`,
    );
  } catch {
    return undefined;
  }
  if (!isLoopbackHost(url.hostname)) return undefined;
  if (url.port !== '') return Number(url.port);
  return DEFAULT_PORTS[url.protocol];
}

const SPECIAL_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);
const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'ws:': 80,
  'https:': 443,
  'wss:': 443,
  'ftp:': 21,
};

/** localhost, 127.0.0.0/8, 0.0.0.0, ::1, :: and IPv4-mapped 127.x — hostnames as `new URL` serialises them. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === 'ip6-localhost' ||
    host === 'ip6-loopback'
  ) {
    return true;
  }
  const v4 = /^(\d+)\.\d+\.\d+\.\d+$/.exec(host);
  if (v4) return v4[1] === '127' || host === '0.0.0.0';
  if (!host.startsWith('[')) return false;
  const groups = ipv6Groups(host.slice(1, -1));
  if (groups === undefined) return false;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 7) && (groups[7] === 1 || groups[7] === 0)) return true; // ::1, ::
  // ::ffff:127.x.x.x (mapped), ::127.x.x.x (compatible), ::ffff:0.0.0.0
  const mapped = zeros(0, 5) && (groups[5] === 0xffff || groups[5] === 0);
  return mapped && (groups[6]! >> 8 === 0x7f || (groups[5] === 0xffff && groups[6] === 0 && groups[7] === 0));
}

function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(Math.max(0, fill)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : undefined;
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

function shorten(text: string): string {
  return text.length <= 120 ? text : `${text.slice(0, 117)}…`;
}
