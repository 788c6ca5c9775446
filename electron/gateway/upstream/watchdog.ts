// One small watchdog process per manager: it holds a pipe from the gateway and the process-group ids of the
// upstream children; when the pipe closes (the gateway exited, even by SIGKILL) it SIGKILLs every group left.
import { spawn, type ChildProcess } from 'node:child_process';

// CommonJS for `node -e`, inline so bundling cannot lose it. Lines on stdin: "+<pgid>" watch, "-<pgid>" forget.
const WATCHDOG_SCRIPT = String.raw`'use strict';
const { spawnSync } = require('node:child_process');
const win = process.platform === 'win32';
const groups = new Set();
let pending = '';
let reaped = false;
function reap() {
  if (reaped) return;
  reaped = true;
  for (const id of groups) {
    try {
      if (win) spawnSync('taskkill', ['/pid', String(id), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      else process.kill(-id, 'SIGKILL');
    } catch (err) {
      // The group is already gone.
    }
  }
  process.exit(0);
}
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let at;
  while ((at = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, at);
    pending = pending.slice(at + 1);
    const id = Number(line.slice(1));
    if (!Number.isSafeInteger(id) || id <= 1) continue;
    if (line[0] === '+') groups.add(id);
    else if (line[0] === '-') groups.delete(id);
  }
});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
process.on('SIGTERM', reap);
process.on('SIGHUP', reap);
process.on('SIGINT', () => {});
`;

export interface WatchdogLauncher {
  /** A Node-compatible executable that runs `-e SCRIPT`; default `process.execPath`. */
  command: string;
  args?: string[];
  env?: Record<string, string>;
}

export function defaultWatchdogLauncher(): WatchdogLauncher {
  // Inside Electron, process.execPath is the app binary: it runs scripts only as Node (ELECTRON_RUN_AS_NODE).
  const env: Record<string, string> = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  if (process.env.PATH) env.PATH = process.env.PATH;
  return { command: process.execPath, env };
}

const MAX_QUICK_FAILURES = 3;

export class Watchdog {
  private child: ChildProcess | undefined;
  private readonly groups = new Set<number>();
  private closed = false;
  private failures = 0;

  constructor(
    private readonly launcher: WatchdogLauncher,
    private readonly diagnostics: (line: string) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  watch(pgid: number): void {
    if (this.closed) return;
    this.groups.add(pgid);
    if (!this.child) this.launch();
    else this.write(`+${pgid}\n`);
  }

  forget(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    this.write(`-${pgid}\n`);
  }

  /** Ends the watchdog; groups still recorded are killed by it (the manager forgets those it stopped itself). */
  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private launch(): void {
    const started = Date.now();
    const child = spawn(this.launcher.command, [...(this.launcher.args ?? []), '-e', WATCHDOG_SCRIPT], {
      stdio: ['pipe', 'ignore', 'ignore'],
      // Its own group: a Ctrl-C for the gateway's terminal must not take the watchdog down first.
      detached: process.platform !== 'win32',
      windowsHide: true,
      env: this.launcher.env ?? {},
    });
    this.child = child;
    // Neither the watchdog nor its pipe keeps the gateway alive; when the gateway exits the pipe closes.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    child.stdin?.on('error', () => undefined);
    child.on('error', (err) => this.diagnostics(`the upstream watchdog could not start: ${err.message}`));
    child.on('exit', () => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.closed) return;
      this.failures = Date.now() - started < 5_000 ? this.failures + 1 : 0;
      if (this.failures >= MAX_QUICK_FAILURES) {
        this.diagnostics(
          'the upstream watchdog keeps exiting; upstream processes may outlive Gatehouse if it is killed',
        );
        return;
      }
      if (this.groups.size > 0) this.launch();
    });
    for (const pgid of this.groups) this.write(`+${pgid}\n`);
  }

  private write(line: string): void {
    const stdin = this.child?.stdin;
    if (stdin && !stdin.destroyed) stdin.write(line);
  }
}
