// A stdio client Transport like the SDK's StdioClientTransport, but the child leads its own process group
// (so the whole tree can be ended and the watchdog can reap it) and is ended with SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { LineBuffer } from './line-buffer.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { spawnPlan, terminateGroup } from './process-group.js';

const isWindows = process.platform === 'win32';
const STDIN_GRACE_MS = 250;
const TERM_GRACE_MS = 1_000;
const KILL_WAIT_MS = 250;

export interface ChildStdioOptions {
  command: string;
  args: string[];
  /** The complete environment of the child (nothing is inherited). */
  env: Record<string, string>;
  cwd?: string;
  onStderr?: (text: string) => void;
  /** The child started; its pid is also its process-group id (POSIX). */
  onSpawn?: (pid: number) => void;
  /** Nothing of the child's process group is left to end. */
  onGroupGone?: (pid: number) => void;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ChildStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly readBuffer = new LineBuffer();
  private closing = false;
  private closed: Promise<void> | undefined;
  private finished = false;
  private started = false;
  private childPid: number | undefined;
  /** How the child exited, once it has. */
  exit: ChildExit | undefined;

  constructor(private readonly options: ChildStdioOptions) {}

  get pid(): number | undefined {
    return this.childPid;
  }

  start(): Promise<void> {
    if (this.started) throw new Error('ChildStdioTransport already started');
    this.started = true;
    // Closed before it started (the upstream was stopped during the handshake): spawn nothing.
    if (this.closing) return Promise.reject(new Error('the upstream was stopped before it started'));
    const { command, args, env, cwd } = this.options;
    const plan = spawnPlan(command, args);
    return new Promise((resolve, reject) => {
      let spawned = false;
      const child = spawn(plan.file, plan.args, {
        env,
        cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        // Its own process group, so the whole tree can be signalled; not unref'd: the gateway owns it.
        detached: !isWindows,
        windowsHide: true,
        windowsVerbatimArguments: plan.windowsVerbatimArguments,
      });
      this.child = child;
      child.on('error', (error) => {
        if (!spawned) reject(error);
        else this.onerror?.(error);
      });
      child.on('spawn', () => {
        spawned = true;
        this.childPid = child.pid;
        if (child.pid !== undefined) this.options.onSpawn?.(child.pid);
        resolve();
      });
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        // The leader is gone; whatever it left in its group (a server started through npx, say) goes too.
        if (!this.closing && child.pid !== undefined) void this.endGroup(child.pid);
      });
      child.on('close', () => {
        if (spawned) this.finish();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          this.readBuffer.append(chunk);
        } catch (error) {
          this.onerror?.(error as Error);
          void this.close();
          return;
        }
        this.processReadBuffer();
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => this.options.onStderr?.(text));
      child.stderr?.on('error', (error) => this.onerror?.(error));
    });
  }

  private processReadBuffer(): void {
    for (;;) {
      try {
        const message = this.readBuffer.readMessage();
        if (message === null) return;
        this.onmessage?.(message);
      } catch (error) {
        this.onerror?.(error as Error);
      }
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.child = undefined;
    this.readBuffer.clear();
    this.onclose?.();
  }

  /** SIGTERM to the group, SIGKILL after a grace period; reports the group gone either way. */
  private async endGroup(pid: number): Promise<void> {
    try {
      await terminateGroup(pid, TERM_GRACE_MS);
    } catch (error) {
      this.onerror?.(error as Error);
    } finally {
      this.options.onGroupGone?.(pid);
    }
  }

  /** Ends the child: stdin closed, then SIGTERM to its group, then SIGKILL; resolves within about 1.5 s. */
  close(): Promise<void> {
    this.closed ??= this.end();
    return this.closed;
  }

  private async end(): Promise<void> {
    const child = this.child;
    this.closing = true;
    if (!child || this.finished) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const within = (ms: number) => Promise.race([closed, delay(ms)]);
    try {
      child.stdin?.end();
    } catch (error) {
      this.onerror?.(error as Error);
    }
    // The MCP stdio shutdown: close stdin, give it a moment, then signals — to the whole group, because
    // members of it (a server started through npx, say) may remain even when the leader left on its own.
    await within(STDIN_GRACE_MS);
    if (child.pid !== undefined) await this.endGroup(child.pid);
    await within(KILL_WAIT_MS);
    this.finish();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.closing) {
        reject(new Error('Not connected'));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }
}
