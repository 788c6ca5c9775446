// Test fixture: a temporary home with servers, a policy and a grant, and a gateway on a free port (in-process or as the CLI).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Gateway } from '../../electron/gateway/app/gateway.js';
import { addGrant } from '../../electron/gateway/grants/store.js';
import type { RuntimeInfo } from '../../electron/gateway/home/runtime.js';
import { REPO_ROOT } from './upstreams.js';

export { everythingStdio, REPO_ROOT } from './upstreams.js';
export const CLI = path.join(REPO_ROOT, 'bin', 'gatehouse.js');

const execFileAsync = promisify(execFile);

/** What a run of the CLI left: its exit code and output. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gatehouse --home HOME ARGS…` as a user would, without blocking the test's event loop (a gateway started
 * in-process must go on answering the CLI meanwhile).
 */
export async function runCli(home: string, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, '--home', home, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as CliRun;
    return { code, stdout, stderr };
  }
}

export interface HomeSpec {
  servers?: Record<string, unknown>;
  policy?: unknown;
  settings?: unknown;
  grants?: string[];
}

export interface TestHome {
  home: string;
  tokens: Record<string, string>;
  write(file: string, value: unknown): void;
  cleanup(): void;
}

export function makeHome(spec: HomeSpec = {}): TestHome {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
  const write = (file: string, value: unknown) =>
    fs.writeFileSync(
      path.join(home, file),
      typeof value === 'string' ? value : JSON.stringify(value, null, 2),
      {
        mode: 0o600,
      },
    );
  write('servers.json', { mcpServers: spec.servers ?? {} });
  write('policy.json', spec.policy ?? { version: '1', default: 'allow' });
  if (spec.settings) write('settings.json', spec.settings);
  const tokens: Record<string, string> = {};
  for (const name of spec.grants ?? ['test'])
    tokens[name] = addGrant(path.join(home, 'grants.json'), name).token;
  return { home, tokens, write, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

export async function connectClient(
  mcpUrl: string,
  token: string,
  extraHeaders: Record<string, string> = {},
) {
  const client = new Client({ name: 'gatehouse-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, ...extraHeaders } },
  });
  await client.connect(transport);
  return client;
}

/** Starts an in-process gateway on a free port and waits until the named upstreams list their tools. */
export async function startGateway(home: TestHome, waitForServers: string[] = []) {
  const lines: string[] = [];
  const gateway = new Gateway({ home: home.home, port: 0, diagnostics: (l) => lines.push(l) });
  const runtime = await gateway.start();
  const deadline = Date.now() + 20_000;
  while (waitForServers.length > 0) {
    const ready = new Set(
      gateway
        .upstreamStatus()
        .filter((s) => s.state === 'ready')
        .map((s) => s.name),
    );
    if (waitForServers.every((s) => ready.has(s))) break;
    if (Date.now() > deadline)
      throw new Error(`upstreams not ready: ${JSON.stringify(gateway.upstreamStatus())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { gateway, runtime, diagnostics: lines };
}

/** What a test file opened — homes, gateways, clients — to close after each test: `afterEach(() => opened.closeAll())`. */
export function openedGateways() {
  const open: { home: TestHome; gateway: Gateway; clients: { close(): Promise<void> }[] }[] = [];
  return {
    track(home: TestHome, gateway: Gateway, ...clients: { close(): Promise<void> }[]) {
      const entry = { home, gateway, clients };
      open.push(entry);
      return entry;
    },
    async closeAll() {
      for (const s of open.splice(0)) {
        for (const c of s.clients) await c.close().catch(() => undefined);
        await s.gateway.stop();
        s.home.cleanup();
      }
    },
  };
}

export interface ServeProcess {
  child: ChildProcess;
  readyLine: string;
  runtime: RuntimeInfo;
  stderr: () => string;
}

/** Runs `gatehouse serve` as a user would and waits for its ready line; `env` replaces the environment it gets. */
export function startServe(
  home: string,
  extraArgs: string[] = ['--port', '0'],
  env?: NodeJS.ProcessEnv,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--home', home, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env ? { env } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 20 s; stderr: ${stderr}`)), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse serve exited with ${code}; stderr: ${stderr}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('gatehouse ready '));
      if (line) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        const runtime = JSON.parse(fs.readFileSync(path.join(home, 'runtime.json'), 'utf8')) as RuntimeInfo;
        resolve({ child, readyLine: line, runtime, stderr: () => stderr });
      }
    });
  });
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** True while the process runs; a zombie (exited, not yet reaped by whoever inherited it) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Homes and `gatehouse serve` processes a test file makes, removed and killed after each test. */
export function scratchpad() {
  const homes: TestHome[] = [];
  const serves: ServeProcess[] = [];
  /** Kills every gateway and waits for it to exit, then removes every home: nothing writes into a folder being removed. */
  async function close(): Promise<void> {
    await Promise.all(serves.splice(0).map((s) => killAndWait(s.child)));
    for (const h of homes.splice(0)) h.cleanup();
  }
  afterEach(close);
  return {
    close,
    home(spec: HomeSpec = {}): TestHome {
      const h = makeHome(spec);
      homes.push(h);
      return h;
    },
    adopt(h: TestHome): TestHome {
      homes.push(h);
      return h;
    },
    async serve(dir: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<ServeProcess> {
      const s = await startServe(dir, args, env);
      serves.push(s);
      return s;
    },
  };
}
