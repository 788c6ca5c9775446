// Watches the files a running gateway is configured by (policy.json, servers.json, grants.json).
// Editors that save by rename and a policy that is a symlink into a git checkout are both seen (chokidar, atomic mode,
// and the symlink's target watched too). Changes are debounced; the handler reads the file and decides what to do.
import fs from 'node:fs';
import chokidar, { type FSWatcher } from 'chokidar';

export interface WatchedFile {
  path: string;
  onChange: (event: 'change' | 'unlink') => void;
}

function withTarget(file: string): string[] {
  try {
    const real = fs.realpathSync(file);
    return real === file ? [file] : [file, real];
  } catch {
    return [file];
  }
}

export class ConfigWatcher {
  private readonly watcher: FSWatcher;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly byPath = new Map<string, WatchedFile>();

  constructor(
    files: WatchedFile[],
    private readonly diagnostics: (line: string) => void,
    private readonly debounceMs = 40,
  ) {
    const paths: string[] = [];
    for (const file of files) {
      for (const p of withTarget(file.path)) {
        this.byPath.set(p, file);
        paths.push(p);
      }
    }
    this.watcher = chokidar.watch(paths, { ignoreInitial: true, atomic: true, followSymlinks: true });
    this.watcher.on('all', (event, changed) => {
      const file = this.byPath.get(changed);
      if (!file) return;
      const kind = event === 'unlink' ? 'unlink' : 'change';
      clearTimeout(this.timers.get(file.path));
      this.timers.set(
        file.path,
        setTimeout(() => {
          this.timers.delete(file.path);
          // After a rename-save the file exists again even though the last event said unlink.
          file.onChange(kind === 'unlink' && fs.existsSync(file.path) ? 'change' : kind);
        }, this.debounceMs),
      );
    });
    this.watcher.on('error', (err) => this.diagnostics(`file watcher: ${(err as Error).message}`));
  }

  ready(): Promise<void> {
    return new Promise((resolve) => this.watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    await this.watcher.close();
  }
}
