// The upstream manager against real stdio servers from npm: listing, pass-through, env isolation, failures, stop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ServersFile, UpstreamStatus } from '../../../shared/servers.js';
import { UpstreamManager } from '../../../electron/gateway/upstream/manager.js';
import {
  everythingStdio,
  filesystemStdio,
  groupAlive,
  memoryStdio,
  pidAlive,
  viaShell,
  waitFor,
} from '../../helpers/upstreams.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-upstream-'));
const diagnostics: string[] = [];

function newManager(servers: ServersFile['mcpServers']): UpstreamManager {
  return new UpstreamManager({
    servers: { mcpServers: servers },
    diagnostics: (line) => diagnostics.push(line),
    restartBackoff: { initialMs: 100, maxMs: 400 },
  });
}

async function untilState(
  manager: UpstreamManager,
  name: string,
  state: UpstreamStatus['state'],
  ms = 20_000,
) {
  const ok = await waitFor(() => manager.status().find((s) => s.name === name)?.state === state, ms);
  const status = manager.status().find((s) => s.name === name);
  if (!ok) throw new Error(`upstream ${name} did not become ${state}: ${JSON.stringify(status)}`);
  return status as UpstreamStatus;
}

function text(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

describe('UpstreamManager over stdio', () => {
  let manager: UpstreamManager;
  const toolsEvents: number[] = [];

  beforeAll(async () => {
    process.env.GATEHOUSE_TEST_SECRET = 'must-not-leak';
    process.env.GATEHOUSE_HOME = tmp;
    fs.mkdirSync(path.join(tmp, 'files'));
    fs.writeFileSync(path.join(tmp, 'files', 'hello.txt'), 'hello from the test');
    manager = newManager({
      everything: everythingStdio({ env: { MY_SETTING: 'from-servers-json', GATEHOUSE_SNEAKY: 'dropped' } }),
      files: filesystemStdio([path.join(tmp, 'files')]),
      memory: memoryStdio(path.join(tmp, 'memory.jsonl')),
      broken: { command: 'gatehouse-no-such-command-xyz', args: ['--flag'] },
      off: { ...everythingStdio(), disabled: true },
    });
    manager.on('tools', () => toolsEvents.push(Date.now()));
    manager.start();
    await Promise.all([
      untilState(manager, 'everything', 'ready'),
      untilState(manager, 'files', 'ready'),
      untilState(manager, 'memory', 'ready'),
    ]);
  });

  afterAll(async () => {
    await manager?.stop();
    delete process.env.GATEHOUSE_TEST_SECRET;
    delete process.env.GATEHOUSE_HOME;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the tools of server-everything, -filesystem and -memory', () => {
    const listings = new Map(manager.tools().map((l) => [l.server, l.tools.map((t) => t.name)]));
    expect([...listings.keys()].sort()).toEqual(['everything', 'files', 'memory']);
    expect(listings.get('everything')).toEqual(
      expect.arrayContaining(['echo', 'get-sum', 'get-env', 'get-tiny-image']),
    );
    expect(listings.get('files')).toEqual(expect.arrayContaining(['read_text_file', 'list_directory']));
    expect(listings.get('memory')).toEqual(expect.arrayContaining(['create_entities', 'read_graph']));
    const everything = manager.status().find((s) => s.name === 'everything');
    expect(everything).toMatchObject({ transport: 'stdio', state: 'ready', restarts: 0 });
    expect(everything?.toolCount).toBe(listings.get('everything')?.length);
    expect(everything?.pid).toBeGreaterThan(0);
    expect(toolsEvents.length).toBeGreaterThanOrEqual(3);
  });

  it('passes results through unchanged (the same as a direct SDK client gets)', async () => {
    const direct = new Client({ name: 'direct', version: '1' });
    await direct.connect(new StdioClientTransport({ ...everythingStdio(), stderr: 'ignore' }));
    try {
      for (const [tool, args] of [
        ['echo', { message: 'hi ünïcode ✓' }],
        ['get-sum', { a: 2, b: 40 }],
        ['get-structured-content', { location: 'Chicago' }],
        ['get-tiny-image', {}],
        ['get-annotated-message', { messageType: 'error', includeImage: true }],
      ] as const) {
        const viaManager = await manager.callTool('everything', tool, { ...args });
        const expected = await direct.request(
          { method: 'tools/call', params: { name: tool, arguments: { ...args } } },
          CallToolResultSchema,
        );
        expect(viaManager, tool).toEqual(expected);
      }
    } finally {
      await direct.close();
    }
    expect(await manager.callTool('everything', 'echo', { message: 'x' })).toEqual({
      content: [{ type: 'text', text: 'Echo: x' }],
    });
    const read = await manager.callTool('files', 'read_text_file', {
      path: path.join(tmp, 'files', 'hello.txt'),
    });
    expect(text(read)).toBe('hello from the test');
  });

  it('passes on every progress notification, the last one included', async () => {
    // Without care the last one is lost: the SDK runs notification handlers a microtask after the response.
    for (let i = 0; i < 10; i++) {
      const progress: number[] = [];
      const result = await manager.callTool(
        'everything',
        'trigger-long-running-operation',
        { duration: 0.05, steps: 5 },
        { onProgress: (p) => progress.push(p.progress) },
      );
      expect(result.isError).toBeFalsy();
      expect(progress).toEqual([1, 2, 3, 4, 5]);
    }
    expect(diagnostics.filter((l) => l.includes('unknown token'))).toEqual([]);
  });

  it('gives upstreams only a safe base environment plus their own env, never GATEHOUSE_*', async () => {
    const env = JSON.parse(text(await manager.callTool('everything', 'get-env', {}))) as Record<
      string,
      string
    >;
    expect(env.MY_SETTING).toBe('from-servers-json');
    expect(Object.keys(env).filter((k) => k.toUpperCase().startsWith('GATEHOUSE_'))).toEqual([]);
    expect(
      Object.keys(env).every((k) =>
        ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'MY_SETTING'].includes(k),
      ),
    ).toBe(true);
    expect(diagnostics.some((l) => l.includes('GATEHOUSE_SNEAKY'))).toBe(true);
  });

  it('answers roots/list with no roots and refuses sampling and elicitation plainly', async () => {
    const roots = await manager.callTool('everything', 'get-roots-list', {});
    expect(text(roots)).toContain('The client supports roots but no roots are currently configured');
    const sampling = await manager.callTool('everything', 'trigger-sampling-request', { prompt: 'hi' });
    expect(sampling.isError).toBe(true);
    expect(text(sampling)).toContain('Gatehouse does not pass sampling requests from upstream "everything"');
    const elicitation = await manager.callTool('everything', 'trigger-elicitation-request', {});
    expect(elicitation.isError).toBe(true);
    expect(text(elicitation)).toContain('Gatehouse does not pass elicitation requests');
  });

  it('reports a command that does not exist as failed, names it, and keeps the others running', async () => {
    const broken = await untilState(manager, 'broken', 'failed');
    expect(broken.error).toBe(
      'command "gatehouse-no-such-command-xyz" was not found (check "command" in servers.json and the PATH)',
    );
    await expect(manager.callTool('broken', 'anything', {})).rejects.toThrow(
      /upstream "broken" failed to start: command "gatehouse-no-such-command-xyz" was not found/,
    );
    // It keeps retrying with backoff while everything else works.
    await waitFor(() => (manager.status().find((s) => s.name === 'broken')?.restarts ?? 0) >= 2, 5_000);
    expect(manager.status().find((s) => s.name === 'broken')?.restarts).toBeGreaterThanOrEqual(2);
    expect(text(await manager.callTool('everything', 'echo', { message: 'still here' }))).toBe(
      'Echo: still here',
    );
  });

  it('shows a disabled server as disabled and does not start it', async () => {
    expect(manager.status().find((s) => s.name === 'off')).toMatchObject({ state: 'disabled', toolCount: 0 });
    expect(manager.tools().some((l) => l.server === 'off')).toBe(false);
    await expect(manager.callTool('off', 'echo', {})).rejects.toThrow(
      'upstream "off" is disabled in servers.json',
    );
    await expect(manager.callTool('nope', 'echo', {})).rejects.toThrow('no upstream named "nope"');
  });

  it('keeps a masked stderr tail and says why a server exited during startup', async () => {
    const script =
      "console.error('starting with ' + process.env.API_TOKEN + ' and ghp_abcdefghijklmnopqrstuvwxyz0123 and Bearer abc.def-ghi'); process.exit(3)";
    const other = newManager({
      leaky: { command: process.execPath, args: ['-e', script], env: { API_TOKEN: 'hunter2-secret-value' } },
    });
    other.start();
    try {
      const status = await untilState(other, 'leaky', 'failed', 10_000);
      expect(status.error).toBe(
        'exited (code 3) during startup; its last words: starting with *** and *** and Bearer ***',
      );
      expect(status.stderrTail.join('\n')).not.toMatch(/hunter2|ghp_abc|abc\.def/);
      expect(status.stderrTail[0]).toBe('starting with *** and *** and Bearer ***');
    } finally {
      await other.stop();
    }
  });
});

describe('UpstreamManager.update and stop', () => {
  it('applies a new servers.json in place and leaves no process behind on stop', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-upstream-update-'));
    onTestFinished(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const manager = newManager({ everything: everythingStdio(), files: filesystemStdio([tmp]) });
    let toolsEvents = 0;
    manager.on('tools', () => toolsEvents++);
    // A listener that throws must not take the manager down.
    manager.on('status', () => {
      throw new Error('a careless listener');
    });
    manager.start();
    await untilState(manager, 'everything', 'ready');
    await untilState(manager, 'files', 'ready');
    const firstPid = manager.status().find((s) => s.name === 'everything')?.pid ?? 0;
    const filesPid = manager.status().find((s) => s.name === 'files')?.pid ?? 0;

    // toolPrefix only: the same process, new exposed names.
    toolsEvents = 0;
    await manager.update({
      mcpServers: { everything: { ...everythingStdio(), toolPrefix: 'ev.' }, files: filesystemStdio([tmp]) },
    });
    expect(manager.status().find((s) => s.name === 'everything')?.pid).toBe(firstPid);
    expect(manager.tools().find((l) => l.server === 'everything')?.toolPrefix).toBe('ev.');
    expect(toolsEvents).toBe(1);

    // Changed env restarts it; removed "files" stops; added "memory" starts.
    await manager.update({
      mcpServers: {
        everything: { ...everythingStdio({ env: { CHANGED: '1' } }), toolPrefix: 'ev.' },
        memory: viaShell(memoryStdio(path.join(tmp, 'update-memory.jsonl')), true),
      },
    });
    expect(
      manager
        .status()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['everything', 'memory']);
    expect(await waitFor(() => !pidAlive(filesPid), 2_000)).toBe(true);
    const restarted = await untilState(manager, 'everything', 'ready');
    const memory = await untilState(manager, 'memory', 'ready');
    expect(restarted.pid).not.toBe(firstPid);
    expect(pidAlive(firstPid)).toBe(false);
    const env = JSON.parse(text(await manager.callTool('everything', 'get-env', {}))) as Record<
      string,
      string
    >;
    expect(env.CHANGED).toBe('1');
    expect(diagnostics.some((l) => l.includes('a careless listener'))).toBe(true);

    // An explicit restart (POST /api/servers/:name/restart) gives a new process.
    await manager.restart('memory');
    const memoryAgain = await untilState(manager, 'memory', 'ready');
    expect(memoryAgain.pid).not.toBe(memory.pid);
    expect(groupAlive(memory.pid ?? 0)).toBe(false);

    const pids = manager.status().map((s) => s.pid ?? 0);
    expect(pids.every((p) => p > 0 && pidAlive(p))).toBe(true);
    const watchdog = manager.watchdogPid;
    expect(watchdog).toBeGreaterThan(0);
    const started = Date.now();
    await manager.stop();
    const took = Date.now() - started;
    expect(took).toBeLessThan(2_000);
    // Leaders and their whole groups (memory runs as a grandchild under sh) are gone.
    for (const pid of pids) {
      expect(pidAlive(pid), `pid ${pid}`).toBe(false);
      expect(groupAlive(pid), `group ${pid}`).toBe(false);
    }
    expect(memory.pid).toBeDefined();
    expect(manager.status().every((s) => s.state === 'stopped')).toBe(true);
    // The watchdog leaves once the manager stopped.
    expect(await waitFor(() => !pidAlive(watchdog ?? 0), 2_000)).toBe(true);
  });
});
