// Team mode's one policy (issue #21, DESIGN.md §9): settings.json `policySource` names a URL served here on loopback.
// The gateway enforces the team's policy through a real MCP client on server-everything, follows a change at the
// refresh (and a 304 keeps it), keeps every broken version out with the last good one in force and the reason visible
// through the API, refuses every policy write with 409, and never lets the local policy.json loosen the team's gate.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createClient } from '../../../shared/api/client.js';
import { ApiRequestError, type GatehouseApi } from '../../../shared/api/operations.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  openedGateways,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';
import { startPolicyServer, type PolicyServer } from '../../helpers/policy-server.js';

const SECRET = 's3cret-pass';
const teamPolicy = (extra: Record<string, unknown> = {}) => ({
  version: '1',
  default: 'allow',
  tools: { 'get-sum': { action: 'deny', reason: 'the team does not sum' } },
  ...extra,
});
/** A local policy.json that would allow everything, and denies echo. */
const localPolicy = {
  version: '1',
  default: 'allow',
  tools: { echo: { action: 'deny', reason: 'not on this laptop' } },
  servers: { ev: { tools: { 'get-sum': { action: 'allow' } } } },
};

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.request(
    { method: 'tools/call', params: { name, arguments: args } },
    CallToolResultSchema,
  );
  const text = (result.content[0] as { text?: string } | undefined)?.text ?? '';
  return { denied: result.isError === true && text.startsWith('Gatehouse denied'), text };
}
const echo = (client: Client) => call(client, 'ev__echo', { message: 'hi' });
const sum = (client: Client) => call(client, 'ev__get-sum', { a: 1, b: 2 });

async function until(what: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function refusal(promise: Promise<unknown>): Promise<ApiRequestError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiRequestError);
  return err as ApiRequestError;
}

describe('one policy for the team, from a URL', () => {
  const opened = openedGateways();
  let source: PolicyServer;
  beforeEach(async () => {
    source = await startPolicyServer();
  });
  afterEach(async () => {
    await opened.closeAll();
    await source.close();
  });

  async function gateway(home: TestHome) {
    const started = await startGateway(home, ['ev']);
    const client = await connectClient(started.runtime.mcpUrl, home.tokens.test as string);
    opened.track(home, started.gateway, client);
    const api = createClient({ baseUrl: started.runtime.controlUrl, token: started.runtime.adminToken });
    return { ...started, client, api };
  }
  const homeWith = (local: unknown = localPolicy, refreshSeconds = 60) =>
    makeHome({
      servers: { ev: everythingStdio() },
      policy: local,
      settings: { policySource: { url: source.url, refreshSeconds } },
    });

  it('enforces the team policy, follows a change at the refresh, and a 304 keeps it', async () => {
    source.serve(teamPolicy());
    const { client, api, diagnostics } = await gateway(homeWith(localPolicy, 5));
    expect(await sum(client)).toEqual({
      denied: true,
      text: 'Gatehouse denied ev__get-sum: the team does not sum',
    });
    // policy.json's deny of echo is ignored: the team allows no local overlay.
    expect((await echo(client)).denied).toBe(false);

    const read = await api.getPolicy({});
    expect(JSON.parse(read.text)).toEqual(teamPolicy());
    expect(read.source).toMatchObject({ waiting: false, localOverlay: false, etag: expect.any(String) });
    expect(read.source?.url).toMatch(/^http:\/\/team:•+@127\.0\.0\.1:\d+\/team\/policy\.json$/);
    expect(JSON.stringify(read)).not.toContain(SECRET);
    expect(JSON.stringify(await api.getSettings({}))).not.toContain(SECRET);
    expect(diagnostics.join('\n')).not.toContain(SECRET);
    // The credentials went as Basic auth, not in the URL.
    expect(source.requests[0]?.authorization).toBe(
      `Basic ${Buffer.from(`team:${SECRET}`).toString('base64')}`,
    );

    // Unchanged: asked with the ETag, answered 304, the same policy in force.
    await api.refreshPolicySource({});
    expect(source.requests.at(-1)).toMatchObject({ ifNoneMatch: read.source?.etag, status: 304 });
    expect((await api.getPolicy({})).version).toBe(read.version);

    // Changed at the source: in force within refreshSeconds (5 s), without asking.
    source.serve(teamPolicy({ tools: { echo: { action: 'deny', reason: 'the team stopped echoes' } } }));
    await until(async () => (await echo(client)).denied, 15_000);
    expect((await echo(client)).text).toBe('Gatehouse denied ev__echo: the team stopped echoes');
    expect((await sum(client)).denied).toBe(false);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).not.toContain('ev__echo');
  });

  it('keeps every broken version out, enforcing the last good one and saying why', async () => {
    source.serve(teamPolicy());
    const { client, api, diagnostics } = await gateway(homeWith());
    const good = await api.getPolicy({});
    const broken: [() => void, RegExp][] = [
      [() => source.serve('{"version": "1", "default": '), /not a valid policy: .*invalid JSON/],
      [
        () => source.serve({ version: '1', default: 'allow', tools: { echo: { action: 'maybe' } } }),
        /not a valid policy: .*tools\.echo\.action must be one of allow, deny, approve/,
      ],
      [() => source.fail(500), /answered HTTP 500/],
      [() => source.fail(404), /answered HTTP 404/],
      [
        () => source.serve(`{"version":"1","default":"allow","x-pad":"${'x'.repeat(5 * 1024 * 1024)}"}`),
        /larger than 4 MiB/,
      ],
    ];
    for (const [breakIt, reason] of broken) {
      breakIt();
      await api.refreshPolicySource({});
      const read = await api.getPolicy({});
      expect(read.source?.lastError).toMatch(reason);
      expect(read.version).toBe(good.version);
      expect((await sum(client)).denied).toBe(true);
      expect((await echo(client)).denied).toBe(false);
    }
    const said = diagnostics.filter((l) => l.startsWith('team policy from '));
    expect(said.length).toBeGreaterThanOrEqual(broken.length);
    expect(said.join('\n')).toContain('still enforcing the last good team policy');
    expect(said.join('\n')).toMatch(/http:\/\/team:•+@127\.0\.0\.1/);
    expect(diagnostics.join('\n')).not.toContain(SECRET);

    // Unreachable: the server gone.
    await source.close();
    await api.refreshPolicySource({});
    expect((await api.getPolicy({})).source?.lastError).toMatch(/cannot be reached \(ECONNREFUSED\)/);
    expect((await sum(client)).denied).toBe(true);
  });

  it('refuses every policy write with 409 while the team policy decides', async () => {
    source.serve(teamPolicy({ tools: { echo: { action: 'approve' } } }));
    const { client, api } = await gateway(homeWith());
    const read = await api.getPolicy({});
    const putRefused = await refusal(
      api.putPolicy({ text: '{"version":"1","default":"allow"}', ifMatch: read.etag }),
    );
    expect(putRefused.status).toBe(409);
    expect(putRefused.message).toMatch(
      /^the policy comes from the team \(http:\/\/team:•+@127\.0\.0\.1:\d+\/team\/policy\.json\): change it there$/,
    );
    const patchRefused = await refusal(
      api.patchPolicy({
        set: [{ path: ['tools', 'get-sum'], value: { action: 'allow' } }],
        ifMatch: read.etag,
      }),
    );
    expect(patchRefused.status).toBe(409);
    const connectRefused = await refusal(
      api.connectClient({ client: 'cursor', ifUnchanged: 'x', startingPolicy: true }),
    );
    expect(connectRefused.status).toBe(409);

    // "Always allow" on an approval card: refused, and the call still waits for an answer.
    const waiting = echo(client);
    await until(async () => (await api.listApprovals({})).approvals.length === 1, 10_000);
    const [approval] = (await api.listApprovals({})).approvals;
    for (const remember of ['always', 'always-all-clients'] as const) {
      const refused = await refusal(api.answerApproval({ id: approval!.id, decision: 'approve', remember }));
      expect(refused.status).toBe(409);
    }
    expect((await api.listApprovals({})).approvals).toHaveLength(1);
    await api.answerApproval({ id: approval!.id, decision: 'approve' });
    expect((await waiting).denied).toBe(false);
    expect((await api.getPolicy({})).version).toBe(read.version);
  });

  it('adds only the deny rules of policy.json where the team allows an overlay: never a looser rule', async () => {
    source.serve(
      teamPolicy({
        'x-allowLocalOverlay': true,
        tools: {
          'get-sum': { action: 'deny', reason: 'the team does not sum' },
          'get-env': { action: 'approve' },
        },
      }),
    );
    const home = homeWith({
      ...localPolicy,
      servers: { ev: { tools: { 'get-sum': { action: 'allow' }, 'get-env': { action: 'allow' } } } },
    });
    const { client, api } = await gateway(home);
    expect(await echo(client)).toEqual({
      denied: true,
      text: 'Gatehouse denied ev__echo: not on this laptop',
    });
    expect((await sum(client)).text).toBe('Gatehouse denied ev__get-sum: the team does not sum');
    const tools = (await api.listTools({})).tools;
    expect(tools.find((t) => t.tool === 'get-env')?.action).toBe('approve');
    expect((await api.getPolicy({})).source?.localOverlay).toBe(true);

    // An edit of policy.json is followed; an allow it adds still does not loosen the team's deny.
    home.write('policy.json', { version: '1', default: 'allow', tools: { 'get-sum': { action: 'allow' } } });
    await until(async () => !(await echo(client)).denied, 10_000);
    expect((await sum(client)).denied).toBe(true);
    const refused = await refusal(api.putPolicy({ text: '{"version":"1","default":"allow"}' }));
    expect(refused.message).toMatch(/add deny rules: edit that file itself$/);
  });

  it('follows settings.json: team mode starts and ends without a restart', async () => {
    source.serve(teamPolicy());
    const home = makeHome({ servers: { ev: everythingStdio() }, policy: localPolicy });
    const { client, api } = await gateway(home);
    expect((await echo(client)).denied).toBe(true);
    expect((await sum(client)).denied).toBe(false);
    expect((await api.getPolicy({})).source).toBeUndefined();

    const shown = await api.putSettings({ policySource: { url: source.url, refreshSeconds: 60 } });
    expect(shown.policySource?.url).not.toContain(SECRET);
    await until(async () => (await sum(client)).denied, 10_000);
    expect((await echo(client)).denied).toBe(false);
    // The masked URL sent back as shown keeps the stored one.
    await api.putSettings({ policySource: { ...shown.policySource!, refreshSeconds: 30 } });
    const stored = JSON.parse(fs.readFileSync(path.join(home.home, 'settings.json'), 'utf8')) as {
      policySource: unknown;
    };
    expect(stored.policySource).toEqual({ url: source.url, refreshSeconds: 30 });

    home.write('settings.json', {});
    await until(async () => (await echo(client)).denied, 10_000);
    expect((await sum(client)).denied).toBe(false);
    expect((await api.getPolicy({})).source).toBeUndefined();
  });

  it('fails closed at start until the team policy arrives, then keeps it for the next start', async () => {
    source.fail(503);
    // An invalid policy.json does not stop a gateway whose policy comes from the team.
    const home = homeWith('{"version": "1", "default": "allow",');
    const first = await gateway(home);
    const waiting = await first.api.getPolicy({});
    expect(waiting.source).toMatchObject({
      waiting: true,
      lastError: 'answered HTTP 503 Service Unavailable',
    });
    const denied = await echo(first.client);
    expect(denied.denied).toBe(true);
    expect(denied.text).toMatch(
      /the team policy from http:\/\/team:•+@127\.0\.0\.1:\d+\/team\/policy\.json has not arrived yet \(answered HTTP 503 Service Unavailable\): Gatehouse denies every call until it does$/,
    );
    expect((await first.client.listTools()).tools).toEqual([]);

    source.serve(teamPolicy());
    await first.api.refreshPolicySource({});
    expect((await echo(first.client)).denied).toBe(false);
    expect((await sum(first.client)).denied).toBe(true);
    await opened.closeAll(); // stops the gateway and removes the home: a second home below keeps its state/

    // A second run on a home that fetched once: with the source down, the team policy kept under state/ is enforced.
    const again = homeWith({ version: '1', default: 'allow' });
    source.serve(teamPolicy());
    const fetched = await gateway(again);
    await fetched.gateway.stop();
    source.fail(500);
    const restarted = await startGateway(again, ['ev']);
    const client = await connectClient(restarted.runtime.mcpUrl, again.tokens.test as string);
    opened.track(again, restarted.gateway, client);
    const api: GatehouseApi = createClient({
      baseUrl: (restarted.runtime as RuntimeInfo).controlUrl,
      token: restarted.runtime.adminToken,
    });
    expect((await api.getPolicy({})).source).toMatchObject({
      waiting: false,
      lastError: expect.stringMatching(/HTTP 500/),
    });
    expect((await sum(client)).denied).toBe(true);
    expect((await echo(client)).denied).toBe(false);
  });
});
