// `gatehouse connect` as a user runs it (from another folder, HOME a temporary folder), then each client's entry used
// as that client would use it: Claude Desktop's command started over stdio from elsewhere with a minimal PATH, and
// Cursor's URL entry with its header — through the SDK's HTTP client and through mcp-remote — reaching the imported
// server-everything through the gateway under the starting policy.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI, scratchpad } from '../../helpers/gateway-fixture.js';
import { EVERYTHING_JS, REPO_ROOT } from '../../helpers/upstreams.js';

const scratch = scratchpad();
const clients: Client[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true });
});

const STARTER = '{\n  "version": "1",\n  "default": "approve"\n}\n';
type Entry = { command: string; args: string[] } & { url: string; headers: Record<string, string> };

function userFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-user-'));
  folders.push(dir);
  return dir;
}

function gatehouse(home: string, user: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: user };
  delete env.XDG_CONFIG_HOME;
  delete env.GATEHOUSE_HOME;
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    env,
  });
}

function writeConfig(file: string, servers: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = `{\n  "theme": "dark",\n  "mcpServers": {\n${servers}\n  }\n}\n`;
  fs.writeFileSync(file, text);
  return text;
}

const everything = `    "Everything": {
      "command": ${JSON.stringify(process.execPath)},
      "args": [${JSON.stringify(EVERYTHING_JS)}, "stdio"],
      "env": { "GREETING": "hello from the client config" }
    }`;

async function connected(client: Client): Promise<Client> {
  clients.push(client);
  const deadline = Date.now() + 20_000;
  // The upstream may still be starting: its tools appear later.
  while (!(await client.listTools()).tools.some((t) => t.name === 'everything__get-sum')) {
    if (Date.now() > deadline) throw new Error('everything__get-sum never listed');
    await new Promise((r) => setTimeout(r, 100));
  }
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.request(
    { method: 'tools/call', params: { name, arguments: args } },
    CallToolResultSchema,
  )) as CallToolResult;
  return (result.content[0] as { text: string }).text;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('gatehouse connect', () => {
  it('claude: imports the servers, writes the bridge by absolute path, and Claude Desktop’s way of starting it works', async () => {
    const { home } = scratch.home({ policy: STARTER, grants: [] });
    const user = userFolder();
    const file = path.join(user, '.config', 'Claude', 'claude_desktop_config.json');
    const original = writeConfig(file, everything);

    const broken = path.join(user, 'broken.json');
    fs.writeFileSync(broken, '{"mcpServers": {');
    const bad = gatehouse(home, user, ['connect', 'claude', '--yes', '--config-path', broken]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      `gatehouse: ${broken} is not valid JSON (line 1, column 17: CloseBraceExpected). Fix the file (or move it aside) and run again. Nothing was changed.\n`,
    );
    expect(fs.readFileSync(broken, 'utf8')).toBe('{"mcpServers": {');
    expect(gatehouse(home, user, ['connect', 'slack']).stderr).toBe(
      'gatehouse: unknown client "slack": use one of claude, cursor, vscode, claude-code\n',
    );

    const refused = gatehouse(home, user, ['connect', 'claude']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/run again with --yes\n$/);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);

    const run = gatehouse(home, user, ['connect', 'claude', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/quit it first/);
    expect(run.stdout).toContain('"Everything" → everything');
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      theme: string;
      mcpServers: Record<string, Entry>;
    };
    const entry = config.mcpServers.gatehouse!;
    expect(config).toEqual({ theme: 'dark', mcpServers: { gatehouse: entry } });
    expect(entry).toEqual({
      command: process.execPath,
      args: [path.join(REPO_ROOT, 'bin', 'gatehouse.js'), 'bridge', '--grant', 'claude', '--home', home],
    });
    expect(JSON.stringify(entry)).not.toContain('npx');
    expect(JSON.parse(fs.readFileSync(path.join(home, 'servers.json'), 'utf8'))).toEqual({
      mcpServers: {
        everything: {
          command: process.execPath,
          args: [EVERYTHING_JS, 'stdio'],
          env: { GREETING: 'hello from the client config' },
        },
      },
    });
    expect(gatehouse(home, user, ['connect', 'claude', '--yes']).stdout).toMatch(/Already connected/);
    expect(gatehouse(home, user, ['connect', 'claude', '--check']).status).toBe(0);

    await scratch.serve(home);
    const elsewhere = userFolder();
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      cwd: elsewhere,
      env: { PATH: path.dirname(process.execPath), HOME: user },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'claude-desktop-like', version: '1.0.0' });
    await client.connect(transport);
    await connected(client);
    // The starting policy allows what reads; get-env shows the env the import kept.
    expect(await call(client, 'everything__get-sum', { a: 2, b: 3 })).toMatch(/5/);
    expect(await call(client, 'everything__get-env', {})).toContain('hello from the client config');

    const undo = gatehouse(home, user, ['connect', 'claude', '--undo']);
    expect(undo.status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    const check = gatehouse(home, user, ['connect', 'claude', '--check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('server "Everything" is reached directly, not through Gatehouse');
  });

  it('cursor: a url entry with its grant token (never printed) works from the SDK and from mcp-remote', async () => {
    const { home, write } = scratch.home({ policy: STARTER, grants: [] });
    const port = await freePort();
    write('settings.json', { port });
    const user = userFolder();
    const file = path.join(user, '.cursor', 'mcp.json');
    writeConfig(file, everything);
    const run = gatehouse(home, user, ['connect', 'cursor', '--yes', '--per-server']);
    expect(run.status).toBe(0);
    const entry = (JSON.parse(fs.readFileSync(file, 'utf8')) as { mcpServers: Record<string, Entry> })
      .mcpServers.Everything!;
    expect(entry.url).toBe(`http://127.0.0.1:${port}/mcp`);
    const token = /^Bearer (gh_\S+)$/.exec(entry.headers.Authorization!)![1]!;
    expect(run.stdout + run.stderr).not.toContain(token);

    await scratch.serve(home, []);
    const sdk = new Client({ name: 'cursor-like', version: '1.0.0' });
    await sdk.connect(
      new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } }),
    );
    // --per-server: the server's own tool names.
    const deadline = Date.now() + 20_000;
    while (!(await sdk.listTools()).tools.some((t) => t.name === 'get-sum')) {
      if (Date.now() > deadline) throw new Error('get-sum never listed');
      await new Promise((r) => setTimeout(r, 100));
    }
    clients.push(sdk);
    expect(await call(sdk, 'get-sum', { a: 20, b: 22 })).toMatch(/42/);

    const pkg = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'mcp-remote', 'package.json'), 'utf8'),
    ) as { bin: Record<string, string> };
    const proxy = path.join(REPO_ROOT, 'node_modules', 'mcp-remote', pkg.bin['mcp-remote']!);
    const headers = Object.entries(entry.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]);
    const remote = new Client({ name: 'mcp-remote-user', version: '1.0.0' });
    await remote.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [proxy, entry.url, ...headers, '--transport', 'http-only', '--silent'],
        cwd: userFolder(),
        env: { PATH: path.dirname(process.execPath), HOME: user, MCP_REMOTE_CONFIG_DIR: userFolder() },
      }),
    );
    clients.push(remote);
    expect((await remote.listTools()).tools.map((t) => t.name)).toContain('get-sum');
    expect(await call(remote, 'get-sum', { a: 1, b: 2 })).toMatch(/3/);
  });
});
