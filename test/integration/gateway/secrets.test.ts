// Secrets stay out (issue 15): what the servers API and its events show of servers.json and of an upstream's stderr,
// what the call log stores of a resource URI or a Gatehouse token an agent passes along, and which sessions hear an
// upstream's log messages (only those whose grant may use that server).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import type { GatehouseEvent } from '../../../shared/api/events.js';
import { everythingStdio, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';
import { waitFor } from '../../helpers/upstreams.js';

// Secret-shaped test values, built at run time so no scanner mistakes this file for a leak.
const SK = `sk-${'t3St'.repeat(12)}`;
const SECRETS = {
  apiKey: SK,
  flagToken: 'flag-token-0123456789',
  dsnPassword: 'dsn-pass-4321',
  urlPassword: 'url-pass-8765',
  envPassword: 'env-pass-2468',
  headerToken: 'header-token-13579',
  remotePassword: 'remote-pass-97531',
  remoteQuery: 'remote-query-24680',
  stderrOnly: 'stderr-only-pw-777',
};

/** An upstream that says its secrets on stderr and exits: its status keeps the tail and the error. */
const NOISY_UPSTREAM = `
process.stderr.write('starting with --api-key ' + process.argv[3] + '\\n');
process.stderr.write('connecting to postgres://app:${SECRETS.dsnPassword}@db.internal/app\\n');
process.stderr.write('fetch https://bucket.example/f?X-Amz-Signature=0a1b2c3d4e5f&x=1\\n');
process.stderr.write('env says ' + process.env.DB_PASSWORD + '\\n');
process.stderr.write('login password=${SECRETS.stderrOnly}\\n');
process.exit(3);
`;

const textOf = (result: unknown) => {
  const block = (result as CallToolResult).content[0];
  return block?.type === 'text' ? block.text : '';
};

async function sessionOf(runtime: RuntimeInfo, token: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'secrets-test', version: '1' });
  const heard: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    heard.push(`${n.params.logger ?? ''}: ${JSON.stringify(n.params.data)}`);
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(runtime.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${token}`, ...headers } },
    }),
  );
  return { client, heard };
}

describe('secrets stay out', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  const events: GatehouseEvent[] = [];
  const clients: Client[] = [];
  const api = async (route: string, init: RequestInit = {}) =>
    fetch(`${runtime.controlUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${runtime.adminToken}`, 'content-type': 'application/json' },
    });

  function logText(): string {
    const dir = path.join(home.home, 'logs');
    return fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('');
  }

  beforeAll(async () => {
    home = makeHome({
      grants: ['open', 'closed', 'readonly'],
      policy: {
        version: '1',
        default: 'allow',
        grants: {
          // Every tool and every other capability of ev denied: ev's logs are none of its business.
          closed: { servers: { ev: { default: 'deny' } } },
          // No tool of ev, but its resources: it may use the server, so it hears it.
          readonly: { servers: { ev: { default: 'deny', resources: 'allow' } } },
        },
      },
    });
    const noisy = path.join(home.home, 'noisy-upstream.mjs');
    fs.writeFileSync(noisy, NOISY_UPSTREAM);
    home.write('servers.json', {
      mcpServers: {
        ev: everythingStdio(),
        noisy: {
          command: process.execPath,
          args: [
            noisy,
            '--api-key',
            SECRETS.apiKey,
            `--token=${SECRETS.flagToken}`,
            `postgres://app:${SECRETS.dsnPassword}@db.internal/app`,
            `https://deploy:${SECRETS.urlPassword}@registry.example.com/v2`,
          ],
          env: { DB_PASSWORD: SECRETS.envPassword },
        },
        remote: {
          url: `https://me:${SECRETS.remotePassword}@mcp.example.com/mcp?token=${SECRETS.remoteQuery}`,
          headers: { Authorization: `Bearer ${SECRETS.headerToken}` },
          disabled: true,
        },
      },
    });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
    gateway.events.subscribe((event) => events.push(event));
  });

  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await gateway?.stop();
    home?.cleanup();
  });

  it('the servers API masks secrets in args, URL, headers, the stderr tail and the error', async () => {
    expect(
      await waitFor(
        () => (gateway.upstreamStatus().find((s) => s.name === 'noisy')?.stderrTail.length ?? 0) >= 5,
        10_000,
      ),
    ).toBe(true);
    const body = await (await api('/servers')).text();
    for (const secret of Object.values(SECRETS)) expect(body, secret).not.toContain(secret);
    const { servers } = JSON.parse(body) as {
      servers: { name: string; config: Record<string, unknown>; status?: { stderrTail: string[] } }[];
    };
    const noisy = servers.find((s) => s.name === 'noisy')!;
    expect(noisy.config.args).toEqual([
      expect.stringMatching(/noisy-upstream\.mjs$/),
      '--api-key',
      '••••••',
      '--token=••••••',
      'postgres://app:••••••@db.internal/app',
      'https://deploy:••••••@registry.example.com/v2',
    ]);
    expect(noisy.status?.stderrTail.join('\n')).toMatch(
      /connecting to postgres:\/\/app:\S+@db\.internal\/app/,
    );
    const remote = servers.find((s) => s.name === 'remote')!;
    expect(remote.config).toMatchObject({
      url: 'https://me:••••••@mcp.example.com/mcp?token=••••••',
      headers: { Authorization: '••••••' },
    });
    const one = await (await api('/servers/noisy')).text();
    for (const secret of Object.values(SECRETS)) expect(one, secret).not.toContain(secret);
  });

  it('the server events of the live view are masked the same way', async () => {
    expect((await api('/servers/noisy/restart', { method: 'POST' })).status).toBe(200);
    expect(
      await waitFor(
        () => events.some((e) => e.type === 'server' && JSON.stringify(e.data).includes('postgres://app:')),
        10_000,
      ),
    ).toBe(true);
    const text = JSON.stringify(events.filter((e) => e.type === 'server'));
    for (const secret of Object.values(SECRETS)) expect(text, secret).not.toContain(secret);
  });

  it('the log redacts a resource URI with a signature in its query, in the arguments', async () => {
    const { client } = await sessionOf(runtime, home.tokens.open!);
    clients.push(client);
    const uri = 'demo://resource/dynamic/text/1?sig=Zm9vYmFyMDEyMzQ1&X-Amz-Signature=9f86d081884c7d65';
    await client.readResource({ uri }).catch(() => undefined);
    const record = logText()
      .split('\n')
      .filter((l) => l.includes('"resources/read"'))
      .map((l) => JSON.parse(l) as { arguments?: { uri?: string } })
      .find((r) => r.arguments !== undefined);
    expect(record?.arguments?.uri).toMatch(/^demo:\/\/resource\/dynamic\/text\/1\?sig=\[redacted sha256:/);
    expect(JSON.stringify(record?.arguments)).not.toMatch(/Zm9vYmFyMDEyMzQ1|9f86d081884c7d65/);
  });

  // A capability use's target (the resource URI) stands where a tool call's name does: call-log.ts redacts it too.
  it('the log redacts a resource URI everywhere in its record', async () => {
    const { client } = await sessionOf(runtime, home.tokens.open!);
    clients.push(client);
    await client
      .readResource({ uri: 'demo://resource/dynamic/text/2?sig=QmFyQmF6OTg3NjU0' })
      .catch(() => undefined);
    expect(logText()).not.toContain('QmFyQmF6OTg3NjU0');
  });

  it("the log redacts Gatehouse's grant tokens wherever an agent passes one", async () => {
    const { client } = await sessionOf(runtime, home.tokens.open!);
    clients.push(client);
    const stolen = home.tokens.closed!;
    expect(stolen).toMatch(/^gh_/);
    const result = await client.callTool({ name: 'ev__echo', arguments: { message: `try ${stolen}` } });
    expect(textOf(result)).toBe(`Echo: try ${stolen}`);
    const text = logText();
    expect(text).toContain('ev__echo');
    expect(text).not.toContain(stolen.slice(3));
  });

  it('the log redacts the admin token (gha_…) wherever an agent passes it', async () => {
    expect(runtime.adminToken).toMatch(/^gha_/);
    const { client } = await sessionOf(runtime, home.tokens.open!);
    clients.push(client);
    await client.callTool({ name: 'ev__echo', arguments: { message: `admin ${runtime.adminToken}` } });
    expect(logText()).not.toContain(runtime.adminToken.slice(4));
  });

  it("an upstream's log messages reach only the sessions whose grant may use that server", async () => {
    const open = await sessionOf(runtime, home.tokens.open!);
    const closed = await sessionOf(runtime, home.tokens.closed!);
    // The scope is the client's own choice: it lets no session hear a server its grant may not use.
    const closedScoped = await sessionOf(runtime, home.tokens.closed!, { 'X-Gatehouse-Server': 'ev' });
    const readonly = await sessionOf(runtime, home.tokens.readonly!);
    clients.push(open.client, closed.client, closedScoped.client, readonly.client);
    expect((await closed.client.listTools()).tools.filter((t) => t.name.startsWith('ev__'))).toEqual([]);

    const toggle = () => open.client.callTool({ name: 'ev__toggle-simulated-logging', arguments: {} });
    expect(textOf(await toggle())).toMatch(/Started simulated/);
    try {
      // Every message goes to each session that hears at once: by the time readonly has two, closed would have them.
      expect(await waitFor(() => open.heard.length > 1 && readonly.heard.length > 1, 15_000)).toBe(true);
      // The server is named in the logger: `ev`, or `ev/<its own logger>`.
      for (const line of open.heard) expect(line).toMatch(/^ev(?:\/[^:]+)?: /);
      expect(closed.heard).toEqual([]);
      expect(closedScoped.heard).toEqual([]);
    } finally {
      await toggle();
    }
  }, 30_000);
});
