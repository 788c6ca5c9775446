// A session scoped to one server (`X-Gatehouse-Server`, what `gatehouse bridge --server S` sends): it sees that
// server alone — tools, prompts and resources — under the server's own names, and the policy still applies by the
// server and tool, with the gateway's exposed name in the record.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { connectClient, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';
import { everythingStdio, expectEverythingPrompts, memoryStdio } from '../../helpers/upstreams.js';

const textOf = (result: unknown) =>
  (((result as { content?: { text?: string }[] }).content ?? []) as { text?: string }[])
    .map((c) => c.text ?? '')
    .join('');

describe('sessions scoped to one server', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  const clients: Client[] = [];
  const connect = async (scope?: string) => {
    const c = await connectClient(
      runtime.mcpUrl,
      home.tokens.agent!,
      scope ? { 'X-Gatehouse-Server': scope } : {},
    );
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    home = makeHome({
      grants: ['agent'],
      policy: {
        version: '1',
        default: 'allow',
        servers: { ev: { tools: { 'get-sum': { action: 'deny', reason: 'no sums' } } } },
      },
    });
    // server-memory keeps its graph in a file of this test's home.
    home.write('servers.json', {
      mcpServers: {
        ev: everythingStdio(),
        mem: memoryStdio(path.join(home.home, 'memory.jsonl')),
      },
    });
    ({ gateway, runtime } = await startGateway(home, ['ev', 'mem']));
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await gateway?.stop();
    home?.cleanup();
  });

  it("lists only the server's tools under their own names, and calls them by those names under the policy", async () => {
    const all = (await (await connect()).listTools()).tools.map((t) => t.name);
    expect(all).toEqual(expect.arrayContaining(['ev__echo', 'mem__read_graph']));

    const ev = await connect('ev');
    const names = (await ev.listTools()).tools.map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('get-sum'); // denied: hidden, as without a scope
    expect(names.some((n) => n.includes('__') || n === 'read_graph')).toBe(false);
    expect(textOf(await ev.callTool({ name: 'echo', arguments: { message: 'scoped' } }))).toBe(
      'Echo: scoped',
    );
    const denied = await ev.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toBe('Gatehouse denied ev__get-sum: no sums');
    // Another server's tool, by either name, is not there.
    await expect(ev.callTool({ name: 'read_graph', arguments: {} })).rejects.toThrow(
      'Unknown tool: read_graph',
    );
    await expect(ev.callTool({ name: 'ev__echo', arguments: { message: 'x' } })).rejects.toThrow(
      'Unknown tool: ev__echo',
    );

    const records = readAllRecords(path.join(home.home, 'logs')).records;
    const scoped = records.find((r) => r.tool === 'echo' && JSON.stringify(r.arguments).includes('scoped'));
    expect(scoped).toMatchObject({ server: 'ev', exposedName: 'ev__echo', status: 'ok' });
  });

  it("passes only the server's prompts (under their own names) and resources", async () => {
    const ev = await connect('ev');
    const prompts = (await ev.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toEqual(expect.arrayContaining(['simple-prompt', 'args-prompt']));
    expect(prompts.some((n) => n.startsWith('ev__'))).toBe(false);
    await expectEverythingPrompts(ev, '');
    expect((await ev.listResources()).resources.length).toBeGreaterThan(0);

    // server-memory has no prompts: a session scoped to it sees none of server-everything's, nor its resources.
    const mem = await connect('mem');
    expect((await mem.listTools()).tools.map((t) => t.name)).toContain('read_graph');
    expect((await mem.listPrompts()).prompts).toEqual([]);
    const uris = (await mem.listResources()).resources.map((r) => r.uri);
    expect(uris.every((u) => u.startsWith('memory://'))).toBe(true);
    await expect(
      mem.readResource({ uri: 'demo://resource/static/document/architecture.md' }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(mem.getPrompt({ name: 'simple-prompt' })).rejects.toMatchObject({ code: -32602 });
  });

  it('refuses a request that changes the scope of an open session', async () => {
    const ev = await connect('ev');
    await ev.listTools();
    const sessionId = (ev.transport as { sessionId?: string } | undefined)?.sessionId;
    expect(sessionId).toBeDefined();
    const res = await fetch(runtime.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${home.tokens.agent!}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId!,
        'mcp-protocol-version': '2025-06-18',
        'x-gatehouse-server': 'mem',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('this session was opened for server "ev"');
  });
});
