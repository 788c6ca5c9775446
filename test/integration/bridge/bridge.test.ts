// `gatehouse bridge` as Claude Desktop runs it — a stdio child process — in front of a real `gatehouse serve` with
// server-everything upstream: tools, policy, progress, cancellation, gateway restarts, --server, and the exit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ErrorCode,
  ListTasksResultSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import {
  connectClient,
  exitOf,
  everythingStdio,
  isAlive,
  makeHome,
  REPO_ROOT,
  startServe,
  type ServeProcess,
  type TestHome,
} from '../../helpers/gateway-fixture.js';
import { freePort } from '../../helpers/upstreams.js';
import { connectStdio, eventually, spawnBridge, textOf, type BridgeClient } from './bridge-process.js';

const POLICY = {
  version: '1',
  default: 'allow',
  servers: { ev: { tools: { 'get-sum': { action: 'deny', reason: 'sums are not for Claude' } } } },
};
const NOT_RUNNING =
  'Gatehouse is not running, so echo was not called. Start it (open the Gatehouse app, or run: gatehouse serve) and try again.';

const homes: TestHome[] = [];
const serves: ServeProcess[] = [];
const bridges: BridgeClient[] = [];

function newHome(): TestHome {
  const home = makeHome({ servers: { ev: everythingStdio() }, policy: POLICY, grants: ['claude'] });
  homes.push(home);
  return home;
}

async function serve(home: TestHome, args = ['--port', '0']): Promise<ServeProcess> {
  const s = await startServe(home.home, args);
  serves.push(s);
  return s;
}

async function bridge(home: TestHome, extraArgs: string[] = []): Promise<BridgeClient> {
  const b = await spawnBridge(home.home, extraArgs);
  bridges.push(b);
  return b;
}

/** Waits until the gateway lists server-everything's tools (the upstream starts after the ready line). */
async function upstreamReady(s: ServeProcess): Promise<void> {
  await eventually('server-everything listed by the gateway', async () => {
    const res = await fetch(`${s.runtime.controlUrl}/tools`, {
      headers: { authorization: `Bearer ${s.runtime.adminToken}` },
    });
    const { tools } = (await res.json()) as { tools: { exposedName: string }[] };
    return tools.some((t) => t.exposedName === 'ev__echo');
  });
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
});

afterAll(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.client.close().catch(() => undefined)));
  for (const s of serves.splice(0)) s.child.kill('SIGKILL');
  for (const h of homes.splice(0)) h.cleanup();
});

describe('gatehouse bridge with a running gateway', () => {
  let home: TestHome;
  let gateway: ServeProcess;
  beforeAll(async () => {
    home = newHome();
    gateway = await serve(home);
    await upstreamReady(gateway);
  });

  it('lists the tools and runs an allowed call through the gateway, as its grant', async () => {
    const b = await bridge(home);
    const names = await b.toolNames();
    expect(names).toContain('ev__echo');
    expect(names).not.toContain('ev__get-sum'); // denied by policy: hidden from tools/list
    const result = await b.call('ev__echo', { message: 'through the bridge' });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('Echo: through the bridge');
    const calls = await (
      await fetch(`${gateway.runtime.controlUrl}/calls?tool=echo&limit=5`, {
        headers: { authorization: `Bearer ${gateway.runtime.adminToken}` },
      })
    ).json();
    expect((calls as { calls: { grant: string }[] }).calls[0]).toMatchObject({ grant: 'claude' });
  });

  it('answers the other methods it declares, whether or not the gateway serves them yet', async () => {
    const b = await bridge(home);
    // Until the gateway passes resources and prompts through, its "method not found" becomes an empty list.
    expect(Array.isArray((await b.client.listResources()).resources)).toBe(true);
    expect(Array.isArray((await b.client.listResourceTemplates()).resourceTemplates)).toBe(true);
    expect(Array.isArray((await b.client.listPrompts()).prompts)).toBe(true);
    await expect(b.client.setLoggingLevel('info')).resolves.toBeDefined();
    await expect(b.client.ping()).resolves.toBeDefined();
    // Anything else is the gateway's own answer, its JSON-RPC error included.
    const direct = await connectClient(gateway.runtime.mcpUrl, home.tokens.claude!);
    const viaGateway = await direct.getPrompt({ name: 'simple-prompt' }).catch((err: Error) => err.message);
    await direct.close();
    const viaBridge = await b.client.getPrompt({ name: 'simple-prompt' }).catch((err: Error) => err.message);
    expect(viaBridge).toEqual(viaGateway);
  });

  it("returns a denied call as the gateway's denial", async () => {
    const b = await bridge(home);
    const result = await b.call('ev__get-sum', { a: 1, b: 2 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Gatehouse denied ev__get-sum: sums are not for Claude');
    expect(result._meta?.['gatehouse/decision']).toMatchObject({ decision: 'deny', status: 'denied' });
    // A name that maps to no tool is the gateway's JSON-RPC error, passed on unchanged.
    const unknown = await b.call('ev__nope').catch((err: unknown) => err);
    const direct = await connectClient(gateway.runtime.mcpUrl, home.tokens.claude!);
    const directUnknown = await direct
      .request({ method: 'tools/call', params: { name: 'ev__nope' } }, CallToolResultSchema)
      .catch((err: unknown) => err);
    await direct.close();
    expect(unknown).toBeInstanceOf(McpError);
    expect((unknown as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((unknown as McpError).message).toBe((directUnknown as McpError).message);
  });

  it('delivers every progress notification of a long call before its result', async () => {
    const b = await bridge(home);
    const progress: number[] = [];
    const result = await b.client.request(
      {
        method: 'tools/call',
        params: { name: 'ev__trigger-long-running-operation', arguments: { duration: 1, steps: 5 } },
      },
      CallToolResultSchema,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(textOf(result)).toContain('Long running operation completed');
    // On the wire: all five, with the client's own token, before the result.
    const reply = b.received.findIndex((m) => 'result' in m && m.result.content !== undefined);
    const wire = b.received
      .slice(0, reply)
      .filter((m) => 'method' in m && m.method === 'notifications/progress')
      .map((m) => (m as unknown as { params: { progress: number; progressToken: unknown } }).params);
    expect(wire.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(wire.map((p) => p.progressToken)).size).toBe(1);
    // The SDK's client hands a notification to onprogress a microtask late, so one it reads in the same chunk as
    // the result is dropped; the bridge leaves a gap before the result, which a very busy machine can still close.
    expect(progress.slice(0, 4)).toEqual([1, 2, 3, 4]);
  });

  it('passes a cancellation on to the gateway, which ends the call', async () => {
    const b = await bridge(home);
    const controller = new AbortController();
    const started = Date.now();
    const call = b.client.request(
      {
        method: 'tools/call',
        params: { name: 'ev__trigger-long-running-operation', arguments: { duration: 20, steps: 20 } },
      },
      CallToolResultSchema,
      { signal: controller.signal, onprogress: () => controller.abort('the user pressed stop') },
    );
    await expect(call).rejects.toThrow('the user pressed stop');
    // The gateway's call record ends long before the 20 s the tool would take: the cancellation reached it.
    let record: { status: string; durationMs?: number; error?: string } | undefined;
    await eventually('the call record of the cancelled call to end', async () => {
      const res = await fetch(
        `${gateway.runtime.controlUrl}/calls?tool=trigger-long-running-operation&limit=10`,
        { headers: { authorization: `Bearer ${gateway.runtime.adminToken}` } },
      );
      const { calls } = (await res.json()) as {
        calls: { status: string; arguments: { duration: number } }[];
      };
      record = calls.find((c) => c.arguments.duration === 20);
      return record !== undefined && record.status !== 'pending';
    });
    expect(record?.status).toBe('error');
    expect(record?.durationMs).toBeLessThan(Date.now() - started);
    expect(record?.durationMs).toBeLessThan(10_000);
  });

  it('--server ev lists original names and still applies the policy', async () => {
    const b = await bridge(home, ['--server', 'ev']);
    const names = await b.toolNames();
    expect(names).toContain('echo');
    expect(names).toContain('trigger-long-running-operation');
    expect(names.some((n) => n.startsWith('ev__'))).toBe(false);
    expect(names).not.toContain('get-sum');
    expect(textOf(await b.call('echo', { message: 'short name' }))).toBe('Echo: short name');
    const denied = await b.call('get-sum', { a: 1, b: 2 });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toBe('Gatehouse denied ev__get-sum: sums are not for Claude');
    await expect(b.call('ev__echo', { message: 'x' })).rejects.toThrow('Unknown tool: ev__echo');
    // Prompts too keep the server's own names, so a user's saved prompts keep working.
    const prompts = (await b.client.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toContain('simple-prompt');
    expect(prompts.some((n) => n.startsWith('ev__'))).toBe(false);
    expect((await b.client.getPrompt({ name: 'simple-prompt' })).messages.length).toBeGreaterThan(0);
  });

  it('runs a tool as an MCP task through the bridge, bound to its grant', async () => {
    const b = await bridge(home, ['--server', 'ev']);
    expect(b.client.getServerCapabilities()?.tasks?.requests?.tools?.call).toBeDefined();
    const created = await b.client.request(
      {
        method: 'tools/call',
        params: { name: 'simulate-research-query', arguments: { topic: 'bridges' }, task: { ttl: 60_000 } },
      },
      CreateTaskResultSchema,
    );
    const id = created.task.taskId;
    const listed = await b.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listed.tasks.map((t) => t.taskId)).toContain(id);
    const result = await b.client.request(
      { method: 'tasks/result', params: { taskId: id } },
      CallToolResultSchema,
      { timeout: 30_000 },
    );
    expect(textOf(result)).toContain('Research Report: bridges');
  }, 40_000);

  it("passes the gateway's tools/list_changed on (a policy change), also with --server", async () => {
    const b = await bridge(home, ['--server', 'ev']);
    expect(await b.toolNames()).toContain('get-tiny-image');
    await eventually('the announcement after connecting', () => b.listChanged() >= 1);
    const before = b.listChanged();
    const api = (init: RequestInit = {}) =>
      fetch(`${gateway.runtime.controlUrl}/policy`, {
        ...init,
        headers: {
          authorization: `Bearer ${gateway.runtime.adminToken}`,
          'content-type': 'application/json',
        },
      });
    const policy = {
      ...POLICY,
      servers: { ev: { tools: { ...POLICY.servers.ev.tools, 'get-tiny-image': { action: 'deny' } } } },
    };
    expect((await api({ method: 'PUT', body: JSON.stringify(policy) })).status).toBe(200);
    try {
      await eventually('tools/list_changed from the gateway', () => b.listChanged() > before);
      expect(await b.toolNames()).not.toContain('get-tiny-image');
    } finally {
      expect((await api({ method: 'PUT', body: JSON.stringify(POLICY) })).status).toBe(200);
    }
  });

  it('exits by itself when its stdin closes, leaving the gateway running, and wrote only MCP to stdout', async () => {
    const b = await bridge(home);
    await b.toolNames();
    const child = b.process;
    // Only stdin is closed — not client.close(), which would send SIGTERM if the bridge lingered.
    child.stdin!.end();
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(b.stderr()).toContain('stdin closed: ending');
    expect(b.transportErrors).toEqual([]);
    await b.client.close();
    expect(isAlive(gateway.child.pid!)).toBe(true);
  });

  it('answers at once, in plain words, when the gateway refuses its grant', async () => {
    const b = await spawnBridge(home.home, [], 'nobody');
    bridges.push(b);
    const started = Date.now();
    const result = await b.call('ev__echo', { message: 'x' });
    expect(Date.now() - started).toBeLessThan(4000); // not the 5 s a starting gateway is waited for
    expect(textOf(result)).toBe(
      'Gatehouse refused the bridge, so ev__echo was not called: Unauthorized: no grant named "nobody": create it with gatehouse grant add nobody',
    );
    expect(b.stderr().match(/refused the bridge/g)).toHaveLength(1);
  });

  it('mcp-remote (an alternative some users know) works against the gateway with a grant token', async () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'mcp-remote', 'package.json'), 'utf8'),
    ) as { bin: Record<string, string> };
    const proxy = path.join(REPO_ROOT, 'node_modules', 'mcp-remote', pkg.bin['mcp-remote']!);
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mcp-remote-'));
    try {
      const remote = await connectStdio(
        process.execPath,
        [
          proxy,
          gateway.runtime.mcpUrl,
          '--header',
          `Authorization: Bearer ${home.tokens.claude!}`,
          '--transport',
          'http-only',
          '--silent',
        ],
        { MCP_REMOTE_CONFIG_DIR: configDir },
      );
      bridges.push(remote);
      expect(await remote.toolNames()).toContain('ev__echo');
      expect(textOf(await remote.call('ev__echo', { message: 'via mcp-remote' }))).toBe(
        'Echo: via mcp-remote',
      );
      expect(textOf(await remote.call('ev__get-sum', { a: 1, b: 2 }))).toBe(
        'Gatehouse denied ev__get-sum: sums are not for Claude',
      );
      await remote.client.close();
    } finally {
      fs.rmSync(configDir, { recursive: true, force: true });
    }
  });
});

describe('gatehouse bridge across gateway starts and restarts', () => {
  it('starts before the gateway, works once it starts, and recovers from a restart on a new port', async () => {
    const home = newHome();
    const b = await bridge(home); // initialize is answered with no gateway at all
    expect(await b.toolNames()).toEqual([]);
    const down = await b.call('echo', { message: 'too early' });
    expect(down).toEqual({ isError: true, content: [{ type: 'text', text: NOT_RUNNING }] });

    const first = await serve(home);
    await eventually('the bridge to announce the gateway tools', () => b.listChanged() >= 1);
    await eventually('ev__echo listed through the bridge', async () =>
      (await b.toolNames()).includes('ev__echo'),
    );
    expect(textOf(await b.call('ev__echo', { message: 'first gateway' }))).toBe('Echo: first gateway');

    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toEqual({ code: 0, signal: null });
    const whileDown = await b.call('ev__echo', { message: 'nobody home' });
    expect(whileDown.isError).toBe(true);
    expect(textOf(whileDown)).toBe(NOT_RUNNING.replace('so echo', 'so ev__echo'));
    expect(await b.toolNames()).toContain('ev__echo'); // the last known list

    const changedBefore = b.listChanged();
    const second = await serve(home);
    expect(second.runtime.port).not.toBe(first.runtime.port);
    await eventually(
      'the bridge to re-open its session and announce it',
      () => b.listChanged() > changedBefore,
    );
    await eventually('a call through the restarted gateway', async () => {
      // Until server-everything is up again the name maps to nothing (a JSON-RPC error).
      const result = await b.call('ev__echo', { message: 'second gateway' }).catch(() => undefined);
      return result !== undefined && textOf(result) === 'Echo: second gateway';
    });
    const log = b.stderr();
    expect(log).toContain('waiting for the gateway: none is running');
    expect(log).toContain(`connected to the gateway at ${second.runtime.mcpUrl} as grant "claude"`);
    expect(log.split('\n').filter((l) => l.includes('waiting for the gateway')).length).toBeLessThanOrEqual(
      2,
    );
    expect(b.transportErrors).toEqual([]);
  });

  it('reports a call cut off by a gateway crash, and reconnects when it is back on the same port', async () => {
    const home = newHome();
    const port = await freePort();
    const first = await serve(home, ['--port', String(port)]);
    await upstreamReady(first);
    const b = await bridge(home);
    const long = b.client.request(
      {
        method: 'tools/call',
        params: { name: 'ev__trigger-long-running-operation', arguments: { duration: 20, steps: 20 } },
      },
      CallToolResultSchema,
      { onprogress: () => first.child.kill('SIGKILL') },
    );
    const cut = await long;
    expect(cut.isError).toBe(true);
    expect(textOf(cut)).toMatch(
      /^Gatehouse stopped while ev__trigger-long-running-operation was running, so it is not known whether it completed\./,
    );
    // runtime.json is left behind by the crash; the bridge goes by its pid.
    expect(fs.existsSync(path.join(home.home, 'runtime.json'))).toBe(true);
    expect(textOf(await b.call('ev__echo', { message: 'x' }))).toBe(
      NOT_RUNNING.replace('so echo', 'so ev__echo'),
    );

    const second = await serve(home, ['--port', String(port)]);
    expect(second.runtime.port).toBe(port);
    await eventually('a call through the gateway restarted on the same port', async () => {
      const result = await b.call('ev__echo', { message: 'same port' }).catch(() => undefined);
      return result !== undefined && textOf(result) === 'Echo: same port';
    });
    expect(b.stderr()).toContain('lost the gateway');
  });
});
