// Paths as the OS will open them: the canonical form of a path argument, for the tripwire and for path rules. This
// folder imports nothing else of the gateway; its one contact with the file system is the PathSystem below.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What canonicalisation asks of the machine: injected, so tests can simulate another OS or file system. */
export interface PathSystem {
  /** Decides the separators and whether names compare case-insensitively (macOS, Windows). */
  platform: NodeJS.Platform;
  /** The user's home folder, for `~`. */
  userHome: string;
  /** Where applications keep per-user settings: ~/Library/Application Support, %APPDATA% or ~/.config. */
  appData: string;
  /** The real path of something that exists (every symlink resolved), undefined when it cannot be resolved. */
  realpath(file: string): string | undefined;
  /** Whether something exists there (following symlinks): one system call, where a real path costs one per name. */
  exists(file: string): boolean;
  isDirectory(file: string): boolean;
}

/** This machine's file system. */
export function nodePathSystem(): PathSystem {
  const userHome = os.homedir();
  return {
    platform: process.platform,
    userHome,
    appData: appDataFolder(process.platform, userHome, process.env),
    realpath: (file) => {
      // existsSync first: a missing path (the common case) costs no thrown error, which costs far more than the call.
      if (!fs.existsSync(file)) return undefined;
      try {
        return fs.realpathSync.native(file);
      } catch {
        // Missing, not a folder, a loop, no permission or a NUL byte: the caller resolves the parent instead.
        return undefined;
      }
    },
    exists: (file) => fs.existsSync(file),
    isDirectory: (file) => {
      try {
        return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() === true;
      } catch {
        return false;
      }
    },
  };
}

function appDataFolder(platform: NodeJS.Platform, userHome: string, env: NodeJS.ProcessEnv): string {
  if (platform === 'darwin') return path.join(userHome, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA ?? path.join(userHome, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME ?? path.join(userHome, '.config');
}

/**
 * The same file system, each answer kept for as long as this object lives: for one check of one call, whose paths
 * share their folders. Never kept longer — a symlink may change between calls.
 */
export function remembering(system: PathSystem): PathSystem {
  const real = new Map<string, string | undefined>();
  const there = new Map<string, boolean>();
  return {
    ...system,
    realpath: (file) => {
      if (!real.has(file)) real.set(file, system.realpath(file));
      return real.get(file);
    },
    exists: (file) => {
      let known = there.get(file);
      if (known === undefined) there.set(file, (known = system.exists(file)));
      return known;
    },
  };
}
