// Test upstreams from npm: servers.json entries for server-everything, -filesystem and -memory (run with this
// Node, by absolute path), and server-everything's Streamable HTTP mode pinned to 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioServerConfig } from '../../shared/servers.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
// Files run by path, found as Node finds packages (and so that knip sees each package in use).
const require = createRequire(import.meta.url);
export const EVERYTHING_JS = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const FILESYSTEM_JS = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
const MEMORY_JS = require.resolve('@modelcontextprotocol/server-memory/dist/index.js');
const LOOPBACK_PRELOAD = require.resolve('./loopback-preload.mjs');

type Extra = Partial<Omit<StdioServerConfig, 'command' | 'args'>>;

export function everythingStdio(extra: Extra = {}): StdioServerConfig {
  return { command: process.execPath, args: [EVERYTHING_JS, 'stdio'], ...extra };
}

/**
 * server-everything's prompts work through `client`, named with `prefix` (`ev__` through the gateway, none in a
 * session scoped to that server): args-prompt gets its argument, completable-prompt completes a department.
 */
export async function expectEverythingPrompts(client: Client, prefix: string): Promise<void> {
  const got = await client.getPrompt({ name: `${prefix}args-prompt`, arguments: { city: 'Paris' } });
  expect(JSON.stringify(got.messages)).toContain('Paris');
  const completed = await client.complete({
    ref: { type: 'ref/prompt', name: `${prefix}completable-prompt` },
    argument: { name: 'department', value: 'Eng' },
  });
  expect(completed.completion.values).toContain('Engineering');
}

/** server-filesystem allowed to use `dirs` only. */
export function filesystemStdio(dirs: string[], extra: Extra = {}): StdioServerConfig {
  return { command: process.execPath, args: [FILESYSTEM_JS, ...dirs], ...extra };
}

/** server-memory keeping its graph in `memoryFile` (never inside node_modules). */
export function memoryStdio(memoryFile: string, extra: Extra = {}): StdioServerConfig {
  return {
    command: process.execPath,
    args: [MEMORY_JS],
    ...extra,
    env: { MEMORY_FILE_PATH: memoryFile, ...extra.env },
  };
}

/**
 * The same server started through /bin/sh, which forks it (no exec): the server is then a grandchild of the
 * manager, in the process group of the shell — what `npx`/`uvx` launchers look like. With `thenSleep` the
 * shell lingers after the server exits (as launchers that ignore a closed stdin do), so only signals end it.
 * POSIX only.
 */
export function viaShell(config: StdioServerConfig, thenSleep = false): StdioServerConfig {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const line = [config.command, ...(config.args ?? [])].map(quote).join(' ');
  return {
    ...config,
    command: '/bin/sh',
    args: ['-c', thenSleep ? `${line}; sleep 60` : `${line}; exit $?`],
  };
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface HttpUpstream {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts server-everything over HTTP on 127.0.0.1 and waits until it listens: `streamableHttp` (URL `/mcp`)
 * or the older `sse` mode (URL `/sse`).
 */
export async function startEverythingHttp(
  mode: 'streamableHttp' | 'sse' = 'streamableHttp',
  timeoutMs = 15_000,
  port?: number,
): Promise<HttpUpstream> {
  port ??= await freePort();
  const child = spawn(process.execPath, ['--import', LOOPBACK_PRELOAD, EVERYTHING_JS, mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server-everything (HTTP) did not listen: ${stderr}`)),
      timeoutMs,
    );
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr += text;
      if (/listening on port|running on port/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything (HTTP) exited (code ${code}): ${stderr}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return { url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`, port, child, stop };
}

/** The state letter and process group of a pid from /proc (Linux); undefined when there is no such process. */
function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …" — comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

const hasProc = fs.existsSync('/proc/self/stat');

/**
 * Whether a process with this pid is running. A zombie counts as gone: it has exited, and where PID 1 does not
 * reap orphans (some containers) it stays listed.
 */
export function pidAlive(pid: number): boolean {
  if (hasProc) {
    const stat = procStat(pid);
    return stat !== undefined && stat.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pids of the running (not zombie) members of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  if (!hasProc) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
}

/** Whether any process of the process group `pgid` is running. */
export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

/** Polls `check` until it is true or `timeoutMs` passed; returns its last answer. */
export async function waitFor(check: () => boolean, timeoutMs: number, everyMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
