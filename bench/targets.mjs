// The targets of the bench, each wrapping server-everything over stdio, each started here and stopped by `stop()`.
// A target is { name, client, echoName, pid (the process whose RSS is reported), startMs, stop }.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BENCH_GRANT, BENCH_SERVER, benchPolicy } from './policies.mjs';
import {
  freePort,
  LOOPBACK,
  retryUntil,
  spawnTracked,
  stopTree,
  track,
  trackDir,
  untrackDir,
} from './procs.mjs';
import { assertLoopbackOnly } from './loopback.mjs';

export const root = path.resolve(import.meta.dirname, '..');
// Files run by path, found as Node finds packages (and so that knip sees each package in use).
const require = createRequire(import.meta.url);
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const supergateway = require.resolve('supergateway/dist/index.js');
const mcpProxy = require.resolve('mcp-proxy/dist/bin/mcp-proxy.mjs');
const cli = path.join(root, 'bin/gatehouse.js');
const loopbackPreload = require.resolve('../test/helpers/loopback-preload.mjs');
const START_TIMEOUT_MS = 20_000;

const elapsedMs = (since) => Number(process.hrtime.bigint() - since) / 1e6;

async function closeQuietly(client) {
  await Promise.race([client.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
}

async function connectHttp(url, headers = {}) {
  const client = new Client({ name: 'gatehouse-bench', version: '1' });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    return client;
  } catch (err) {
    await closeQuietly(client);
    throw err;
  }
}

async function waitForTool(client, name, dead) {
  await retryUntil(
    async () => {
      const { tools } = await client.listTools();
      if (!tools.some((t) => t.name === name)) throw new Error(`${name} not listed yet`);
    },
    { timeoutMs: START_TIMEOUT_MS, everyMs: 50, dead },
  );
}

const deadWhy = (child, what) => () =>
  child.exitCode !== null || child.signalCode !== null
    ? `${what} exited (${child.exitCode ?? child.signalCode}): ${child.tail() || 'no output'}`
    : undefined;

export async function startDirect() {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [everything, 'stdio'],
    stderr: 'ignore',
  });
  const client = new Client({ name: 'gatehouse-bench', version: '1' });
  const started = process.hrtime.bigint();
  await client.connect(transport);
  track(transport.pid);
  return {
    name: 'direct stdio',
    client,
    echoName: 'echo',
    pid: transport.pid,
    rssOf: 'server-everything',
    startMs: elapsedMs(started),
    stop: async () => {
      const pid = transport.pid;
      await closeQuietly(client);
      await stopTree(pid);
    },
  };
}

/**
 * `gatehouse serve` (node run with `nodeArgs`) on a temporary home with the bench policy; `stop()` removes the home.
 * `seed(home)` runs before the gateway starts (the dashboard bench writes a long call log there).
 */
export async function startGatehouse({
  nodeArgs = [],
  stopGraceMs = 3000,
  seed,
  name = 'gatehouse http',
  cliPath = cli,
} = {}) {
  const home = trackDir(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-')));
  let child;
  let client;
  const stop = async () => {
    if (client) await closeQuietly(client);
    if (child) await stopTree(child.pid, stopGraceMs);
    fs.rmSync(home, { recursive: true, force: true });
    untrackDir(home);
  };
  try {
    fs.writeFileSync(path.join(home, 'policy.json'), JSON.stringify(benchPolicy(), null, 2));
    fs.writeFileSync(
      path.join(home, 'servers.json'),
      JSON.stringify({
        mcpServers: { [BENCH_SERVER]: { command: process.execPath, args: [everything, 'stdio'] } },
      }),
    );
    seed?.(home);
    const token = execFileSync(process.execPath, [cliPath, 'grant', 'add', BENCH_GRANT, '--home', home], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .trim()
      .split('\n')
      .pop();
    const served = await spawnServe([...nodeArgs, cliPath, 'serve', '--home', home, '--port', '0']);
    child = served.child;
    const { readyLine, readyMs, started } = served;
    const mcpUrl = /mcp=(\S+)/.exec(readyLine)[1];
    assertLoopbackOnly(Number(new URL(mcpUrl).port), 'gatehouse serve');
    client = await connectHttp(mcpUrl, { Authorization: `Bearer ${token}` });
    const echoName = `${BENCH_SERVER}__echo`;
    await waitForTool(client, echoName, deadWhy(child, 'gatehouse serve'));
    return {
      name,
      client,
      echoName,
      pid: child.pid,
      rssOf: 'gateway',
      readyMs,
      dashboardUrl: /dashboard=(\S+)/.exec(readyLine)?.[1],
      startMs: elapsedMs(started),
      home,
      logsDir: path.join(home, 'logs'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * `node ARGS` (a `gatehouse serve`), tracked, until its ready line: `{ child, readyLine, readyMs, started }`, readyMs
 * from spawn (`started`, hrtime) to the ready line. Rejects (and leaves the child to its caller's stop) when it exits first or is not ready in time.
 */
export async function spawnServe(args, timeoutMs = START_TIMEOUT_MS) {
  const started = process.hrtime.bigint();
  const child = spawnTracked(process.execPath, args, { detached: true });
  try {
    const readyLine = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no ready line after ${timeoutMs} ms`)), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`gatehouse serve exited with ${code}: ${child.tail()}`));
      });
      child.stdout.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('gatehouse ready'));
        if (line) {
          clearTimeout(timer);
          resolve(line);
        }
      });
    });
    return { child, readyLine, readyMs: elapsedMs(started), started };
  } catch (err) {
    await stopTree(child.pid);
    throw err;
  }
}

/** Whether `gatehouse bridge` exists yet: undefined when it does, else why not. */
export function bridgeMissing() {
  try {
    const help = execFileSync(process.execPath, [cli, 'bridge', '--help'], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (!/Usage: gatehouse bridge/.test(help)) {
      return '"gatehouse bridge --help" prints the top-level help: the CLI has no bridge command yet';
    }
    return undefined;
  } catch (err) {
    const why = String(err.stderr || err.message)
      .trim()
      .split('\n')[0];
    return `"gatehouse bridge --help" failed: ${why}`;
  }
}

/** `gatehouse bridge` (stdio) in front of the running gateway of `gatehouse`'s home. */
export async function startBridge(gatehouse) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'bridge', '--grant', BENCH_GRANT, '--home', gatehouse.home],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-2048);
  });
  const client = new Client({ name: 'gatehouse-bench', version: '1' });
  const started = process.hrtime.bigint();
  const stop = async () => {
    const pid = transport.pid;
    await closeQuietly(client);
    await stopTree(pid);
  };
  try {
    await client.connect(transport);
    track(transport.pid);
    await waitForTool(client, gatehouse.echoName, () => undefined);
  } catch (err) {
    await stop();
    throw new Error(
      `${err.message}${stderr ? `; stderr: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
      { cause: err },
    );
  }
  return {
    name: 'gatehouse bridge',
    client,
    echoName: gatehouse.echoName,
    pid: transport.pid,
    rssOf: 'bridge process',
    cpuPids: [transport.pid, gatehouse.pid],
    cpuOf: 'bridge + gateway',
    startMs: elapsedMs(started),
    stop,
  };
}

/** A peer that serves Streamable HTTP at `http://127.0.0.1:<port>/mcp` once `spawnPeer(port)` is running. */
export async function startHttpPeer(name, spawnPeer) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawnPeer(port);
  let client;
  const stop = async () => {
    if (client) await closeQuietly(client);
    await stopTree(child.pid);
  };
  try {
    const dead = deadWhy(child, name);
    client = await retryUntil(() => connectHttp(`http://${LOOPBACK}:${port}/mcp`), {
      timeoutMs: START_TIMEOUT_MS,
      everyMs: 100,
      dead,
    });
    assertLoopbackOnly(port, name);
    await waitForTool(client, 'echo', dead);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name,
    client,
    echoName: 'echo',
    pid: child.pid,
    rssOf: 'main process',
    startMs: elapsedMs(started),
    stop,
  };
}

/** supergateway has no host option: the repository's loopback preload pins its listen() to 127.0.0.1. */
export function startSupergateway() {
  const upstream = [process.execPath, everything, 'stdio'].map((a) => JSON.stringify(a)).join(' ');
  const nodeOptions = [process.env.NODE_OPTIONS, `--import ${JSON.stringify(loopbackPreload)}`]
    .filter(Boolean)
    .join(' ');
  return startHttpPeer('supergateway', (port) =>
    spawnTracked(
      process.execPath,
      [
        supergateway,
        '--stdio',
        upstream,
        '--outputTransport',
        'streamableHttp',
        '--stateful',
        '--port',
        String(port),
      ],
      { detached: true, env: { ...process.env, NODE_OPTIONS: nodeOptions } },
    ),
  );
}

export function mcpProxyHasNoEventStore() {
  const help = execFileSync(process.execPath, [mcpProxy, '--help'], { encoding: 'utf8', timeout: 20_000 });
  return /--no-eventStore/.test(help);
}

export function startMcpProxy({ eventStore }) {
  const name = eventStore ? 'mcp-proxy' : 'mcp-proxy (no event store)';
  return startHttpPeer(name, (port) =>
    spawnTracked(
      process.execPath,
      [
        mcpProxy,
        '--host',
        LOOPBACK,
        '--port',
        String(port),
        ...(eventStore ? [] : ['--no-eventStore']),
        '--',
        process.execPath,
        everything,
        'stdio',
      ],
      { detached: true },
    ),
  );
}
