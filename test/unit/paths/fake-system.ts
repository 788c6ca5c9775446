// A simulated file system for path tests: folders, files and symlinks on any platform, names compared the way that
// platform's file system does (case-insensitively on macOS and Windows).
import path from 'node:path';
import type { PathSystem } from '../../../electron/gateway/paths/system.js';
import { nodePathSystem } from '../../../electron/gateway/paths/system.js';

export interface FakeTree {
  platform: NodeJS.Platform;
  userHome: string;
  appData?: string;
  /** Existing folders (their parents exist too). */
  folders?: string[];
  /** Existing files. */
  files?: string[];
  /** Symlinks: where each is, and what it points at (absolute). */
  links?: Record<string, string>;
}

export function fakeSystem(tree: FakeTree): PathSystem & { calls: number } {
  const api = tree.platform === 'win32' ? path.win32 : path.posix;
  const ci = tree.platform === 'win32' || tree.platform === 'darwin';
  const fold = (name: string) => (ci ? name.toLowerCase() : name);
  const children = new Map<string, Map<string, { name: string; link?: string; folder: boolean }>>();
  const add = (file: string, folder: boolean, link?: string) => {
    if (folder && !children.has(fold(file))) children.set(fold(file), new Map());
    const parent = api.dirname(file);
    if (parent !== file) add(parent, true);
    if (parent === file) return;
    const entries = children.get(fold(parent)) ?? new Map();
    children.set(fold(parent), entries);
    const name = api.basename(file);
    if (!entries.has(fold(name)) || link !== undefined || !folder) {
      entries.set(fold(name), { name, folder, ...(link === undefined ? {} : { link }) });
    }
  };
  for (const folder of tree.folders ?? []) add(folder, true);
  for (const file of tree.files ?? []) add(file, false);
  for (const [at, target] of Object.entries(tree.links ?? {})) add(at, false, target);

  const system = {
    platform: tree.platform,
    userHome: tree.userHome,
    appData: tree.appData ?? api.join(tree.userHome, '.config'),
    calls: 0,
    realpath(file: string): string | undefined {
      system.calls += 1;
      return resolve(file, 0);
    },
    exists(file: string): boolean {
      system.calls += 1;
      return resolve(file, 0) !== undefined;
    },
    isDirectory(file: string): boolean {
      const real = resolve(file, 0);
      return real !== undefined && (children.has(fold(real)) || api.parse(real).root === real);
    },
  };
  function resolve(file: string, depth: number): string | undefined {
    if (depth > 20 || file.includes('\0')) return undefined;
    const { root } = api.parse(file);
    if (root === '') return undefined;
    let current = ci ? root.toUpperCase() : root;
    for (const name of file.slice(root.length).split(/[\\/]/)) {
      if (name === '' || name === '.') continue;
      if (name === '..') {
        current = api.dirname(current);
        continue;
      }
      const entry = children.get(fold(current))?.get(fold(name));
      if (entry === undefined) return undefined;
      const next = api.join(current, entry.name);
      if (entry.link !== undefined) {
        const target = resolve(api.resolve(current, entry.link), depth + 1);
        if (target === undefined) return undefined;
        current = target;
      } else current = next;
    }
    return current;
  }
  return system;
}

/** This machine's file system with another user home (for `~`), counting its calls. */
export function countingNodeSystem(userHome: string): PathSystem & { calls: number } {
  const node = nodePathSystem();
  const system = {
    ...node,
    userHome,
    appData: path.join(userHome, '.config'),
    calls: 0,
    realpath(file: string) {
      system.calls += 1;
      return node.realpath(file);
    },
    exists(file: string) {
      system.calls += 1;
      return node.exists(file);
    },
  };
  return system;
}
