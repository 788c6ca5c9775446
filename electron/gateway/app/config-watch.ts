// Watches the files a running gateway is configured by (policy.json, servers.json, grants.json, settings.json).
// It watches the folders that hold them, not the files: a watch on a file ends with its inode, so a file deleted and
// written anew (or one that did not exist at start) would never be seen again. Editors that save by rename and a
// policy that is a symlink into a git checkout are both seen (the symlink's target's folder is watched too, and
// followed when the link is pointed elsewhere). Changes are debounced; the handler reads the file and decides.
import fs from 'node:fs';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';

export interface WatchedFile {
  path: string;
  onChange: (event: 'change' | 'unlink') => void;
}

function targetOf(file: string): string | undefined {
  try {
    const real = fs.realpathSync(file);
    return real === file ? undefined : real;
  } catch {
    return undefined;
  }
}

const POLL_MS = 1000;

/** A file as the poll compares it: which inode, how long, when last written (or that it is missing). */
function identity(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export class ConfigWatcher {
  private readonly watcher: FSWatcher;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Every path that stands for a watched file: its own, and its symlink's target. */
  private readonly byPath = new Map<string, WatchedFile>();
  private readonly dirs = new Set<string>();
  /** What each file was when last looked at (inode, size, mtime), for the poll below. */
  private readonly seen = new Map<string, string>();
  private readonly poll: NodeJS.Timeout;

  constructor(
    files: WatchedFile[],
    private readonly diagnostics: (line: string) => void,
    private readonly debounceMs = 40,
  ) {
    for (const given of files) {
      const file = { ...given, path: path.resolve(given.path) };
      this.byPath.set(file.path, file);
      this.dirs.add(path.dirname(file.path));
      this.follow(file);
      this.seen.set(file.path, identity(file.path));
    }
    // Only the watched files and their folders pass: the folders' other entries (logs/, state/, runtime.json) are
    // never watched, so calls and their log lines wake nothing here.
    this.watcher = chokidar.watch([...this.dirs], {
      ignoreInitial: true,
      atomic: true,
      depth: 0,
      ignored: (p) => !this.dirs.has(p) && !this.byPath.has(p),
    });
    this.watcher.on('all', (event, changed) => {
      const file = this.byPath.get(changed);
      if (!file || event === 'addDir' || event === 'unlinkDir') return;
      this.schedule(file, changed);
    });
    this.watcher.on('error', (err) => this.diagnostics(`file watcher: ${(err as Error).message}`));
    // File events can be lost (an edit right after a rename, a busy machine): each file is also looked at every
    // second, and a change the events missed is applied all the same.
    this.poll = setInterval(() => {
      for (const [filePath, before] of this.seen) {
        const file = this.byPath.get(filePath);
        if (file && identity(filePath) !== before && !this.timers.has(file.path))
          this.schedule(file, filePath);
      }
    }, POLL_MS).unref();
  }

  private schedule(file: WatchedFile, changed: string): void {
    clearTimeout(this.timers.get(file.path));
    this.timers.set(
      file.path,
      setTimeout(() => {
        this.timers.delete(file.path);
        this.seen.set(file.path, identity(file.path));
        // A symlink pointed elsewhere: its new target's folder is watched from now on.
        const newDir = changed === file.path ? this.follow(file) : undefined;
        if (newDir !== undefined) this.watcher.add(newDir);
        // After a rename-save or a re-creation the file exists again even though an event said unlink.
        file.onChange(fs.existsSync(file.path) ? 'change' : 'unlink');
      }, this.debounceMs),
    );
  }

  /** Takes a symlink's target as the file too; returns its folder when that folder is not watched yet. */
  private follow(file: WatchedFile): string | undefined {
    const target = targetOf(file.path);
    if (target === undefined || this.byPath.has(target)) return undefined;
    this.byPath.set(target, file);
    const dir = path.dirname(target);
    if (this.dirs.has(dir)) return undefined;
    this.dirs.add(dir);
    return dir;
  }

  ready(): Promise<void> {
    return new Promise((resolve) => this.watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    for (const t of this.timers.values()) clearTimeout(t);
    await this.watcher.close();
  }
}
