// Real upstreams behind the gateway, driven by real clients: the MCP Inspector CLI, the SDK client with its GET stream.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import { connectClient, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';
import { everythingStdio, filesystemStdio, memoryStdio, REPO_ROOT } from '../../helpers/upstreams.js';

const run = promisify(execFile);
const INSPECTOR_DIR = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build');
const PAGED = path.join(REPO_ROOT, 'test', 'integration', 'upstream', 'fixtures', 'paged-server.mjs');

/** The Inspector CLI as a user runs it (it resolves its package.json from its working directory). */
async function inspector(url: string, token: string, args: string[]): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    ['cli.js', '--cli', url, '--transport', 'http', '--header', `Authorization: Bearer ${token}`, ...args],
    { cwd: INSPECTOR_DIR, timeout: 30_000 },
  );
  return JSON.parse(stdout.slice(stdout.indexOf('{')));
}

describe('upstreams behind the gateway', () => {
  let home: TestHome;
  let gateway: Gateway;
  let mcpUrl: string;
  let client: Client;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fs-'));

  beforeAll(async () => {
    fs.writeFileSync(path.join(work, 'hello.txt'), 'hello from the filesystem server');
    home = makeHome({
      servers: {
        ev: everythingStdio(),
        files: filesystemStdio([work]),
        memory: memoryStdio(path.join(work, 'memory.jsonl')),
        paged: { command: process.execPath, args: [PAGED] },
      },
      policy: {
        version: '1',
        default: 'allow',
        servers: { files: { default: 'deny', tools: { read_text_file: { action: 'allow' } } } },
      },
    });
    const started = await startGateway(home, ['ev', 'files', 'memory', 'paged']);
    gateway = started.gateway;
    mcpUrl = started.runtime.mcpUrl;
    client = await connectClient(mcpUrl, home.tokens.test!);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    home?.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves the MCP Inspector CLI: tools/list and tools/call', async () => {
    const listed = (await inspector(mcpUrl, home.tokens.test!, ['--method', 'tools/list'])) as {
      tools: { name: string }[];
    };
    const names = listed.tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['ev__echo', 'files__read_text_file', 'memory__create_entities', 'paged__t1']),
    );
    expect(names).not.toContain('files__write_file');
    const called = await inspector(mcpUrl, home.tokens.test!, [
      '--method',
      'tools/call',
      '--tool-name',
      'files__read_text_file',
      '--tool-arg',
      `path=${path.join(work, 'hello.txt')}`,
    ]);
    expect(JSON.stringify(called)).toContain('hello from the filesystem server');
  });

  it('refuses a write to server-filesystem that its server default denies', async () => {
    const result = await client.request(
      {
        method: 'tools/call',
        params: { name: 'files__write_file', arguments: { path: path.join(work, 'x'), content: 'x' } },
      },
      CallToolResultSchema,
    );
    expect(result.isError).toBe(true);
    expect(fs.existsSync(path.join(work, 'x'))).toBe(false);
  });

  it('uses server-memory through the gateway', async () => {
    const created = await client.request(
      {
        method: 'tools/call',
        params: {
          name: 'memory__create_entities',
          arguments: {
            entities: [{ name: 'gatehouse', entityType: 'project', observations: ['guards tools'] }],
          },
        },
      },
      CallToolResultSchema,
    );
    expect(created.isError).toBeFalsy();
    const graph = await client.request(
      { method: 'tools/call', params: { name: 'memory__read_graph', arguments: {} } },
      CallToolResultSchema,
    );
    expect(JSON.stringify(graph)).toContain('guards tools');
  });

  it('passes an upstream list_changed on to clients holding the GET stream, with the new tool listed', async () => {
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    const before = (await client.listTools()).tools.filter((t) => t.name.startsWith('paged__')).length;
    await client.request(
      { method: 'tools/call', params: { name: 'paged__grow', arguments: {} } },
      CallToolResultSchema,
    );
    await changed;
    const after = (await client.listTools()).tools.filter((t) => t.name.startsWith('paged__')).length;
    expect(after).toBe(before + 1);
  });

  it('answers a call in flight when its upstream is SIGKILLed with a clear error, then recovers', async () => {
    const pid = gateway.upstreamStatus().find((s) => s.name === 'ev')!.pid!;
    const inFlight = client.request(
      {
        method: 'tools/call',
        params: { name: 'ev__trigger-long-running-operation', arguments: { duration: 5, steps: 5 } },
      },
      CallToolResultSchema,
    );
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, 'SIGKILL');
    const result = await inFlight;
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(
      /^Gatehouse could not complete ev__trigger-long-running-operation: .*SIGKILL/,
    );
    // Meanwhile the tool stays listed and a call is told to retry; once restarted, calls pass again.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const echo = await client.request(
        { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'back' } } },
        CallToolResultSchema,
      );
      if (!echo.isError) break;
      expect((echo.content[0] as { text: string }).text).toMatch(/restart/);
      if (Date.now() > deadline) throw new Error('ev never came back');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(gateway.upstreamStatus().find((s) => s.name === 'ev')).toMatchObject({
      state: 'ready',
      restarts: 1,
    });
  });
});
