// Files that come back are watched again: policy.json, servers.json, grants.json and settings.json deleted and
// re-created, or replaced by a new file renamed over them, and then edited in place, are each applied — and a grant
// revoked after all that still ends the grant's live sessions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { addGrant } from '../../../electron/gateway/grants/store.js';
import { makeHome, openedGateways, startGateway } from '../../helpers/gateway-fixture.js';

const opened = openedGateways();
afterEach(() => opened.closeAll());

/** Longer than chokidar's window for folding an unlink and an add into one change (100 ms). */
const GONE_FOR_MS = 400;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The diagnostics of the gateway under test, shown when a change is not applied. */
let said: string[] = [];

async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`not applied within ${ms} ms: ${what}; the gateway said:\n${said.join('\n')}`);
    await sleep(50);
  }
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

/** The three ways a file comes back: deleted then written anew, a new file renamed over it, edited in place. */
async function deleteAndRecreate(file: string, value: unknown): Promise<void> {
  fs.rmSync(file);
  await sleep(GONE_FOR_MS);
  writeJson(file, value);
}

function renameOver(file: string, value: unknown): void {
  const next = `${file}.next`;
  writeJson(next, value);
  fs.renameSync(next, file);
}

async function setup() {
  const home = makeHome({ grants: ['a'] });
  const { gateway, runtime, diagnostics } = await startGateway(home);
  said = diagnostics;
  opened.track(home, gateway);
  const api = (route: string) =>
    fetch(`${runtime.controlUrl}${route}`, { headers: { authorization: `Bearer ${runtime.adminToken}` } });
  return { home, gateway, runtime, diagnostics, api };
}

describe('a config file deleted, replaced or edited is applied every time', () => {
  it('policy.json', async () => {
    const { home, api } = await setup();
    const file = path.join(home.home, 'policy.json');
    const version = async () => (await api('/policy')).headers.get('x-policy-version');
    const seen = new Set([await version()]);
    const applied = async (what: string) => {
      let now: string | null = null;
      await eventually(what, async () => {
        now = await version();
        return !seen.has(now);
      });
      seen.add(now);
    };

    await deleteAndRecreate(file, { version: '1', default: 'deny' });
    await applied('policy.json deleted and re-created');
    renameOver(file, { version: '1', default: 'approve' });
    await applied('policy.json replaced by rename');
    writeJson(file, { version: '1', default: 'allow', tools: { echo: { action: 'deny' } } });
    await applied('policy.json edited in place after it was replaced');
    await deleteAndRecreate(file, { version: '1', default: 'deny', tools: { x: { action: 'allow' } } });
    await applied('policy.json deleted and re-created a second time');
  });

  it('settings.json', async () => {
    const { home, api } = await setup();
    const file = path.join(home.home, 'settings.json');
    const mode = async () => ((await (await api('/settings')).json()) as { pauseMode: string }).pauseMode;
    const retention = async () =>
      ((await (await api('/settings')).json()) as { logRetentionDays: number }).logRetentionDays;
    writeJson(file, { pauseMode: 'deny' });
    await eventually('settings.json created', async () => (await mode()) === 'deny');
    await deleteAndRecreate(file, { pauseMode: 'approve' });
    await eventually('settings.json deleted and re-created', async () => (await mode()) === 'approve');
    renameOver(file, { pauseMode: 'deny' });
    await eventually('settings.json replaced by rename', async () => (await mode()) === 'deny');
    writeJson(file, { pauseMode: 'deny', logRetentionDays: 7 });
    await eventually('settings.json edited in place', async () => (await retention()) === 7);
  });

  it('servers.json', async () => {
    const { home, gateway } = await setup();
    const file = path.join(home.home, 'servers.json');
    const names = () =>
      gateway
        .upstreamStatus()
        .map((s) => s.name)
        .sort()
        .join(',');
    const server = { command: process.execPath, args: ['-e', ''], disabled: true };
    await deleteAndRecreate(file, { mcpServers: { one: server } });
    await eventually('servers.json deleted and re-created', () => names() === 'one');
    renameOver(file, { mcpServers: { two: server } });
    await eventually('servers.json replaced by rename', () => names() === 'two');
    writeJson(file, { mcpServers: { two: server, three: server } });
    await eventually('servers.json edited in place', () => names() === 'three,two');
  });

  it('grants.json: a revoke after the file came back still ends the grant’s live sessions', async () => {
    const { home, runtime } = await setup();
    const file = path.join(home.home, 'grants.json');
    // The next grants file, built aside and moved into place the way each step needs.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-grants-'));
    const aside = path.join(scratch, 'grants.json');
    fs.copyFileSync(file, aside);
    const tokens = {
      a: home.tokens.a!,
      b: addGrant(aside, 'b').token,
      c: addGrant(aside, 'c').token,
      d: addGrant(aside, 'd').token,
    };
    const all = JSON.parse(fs.readFileSync(aside, 'utf8')) as { grants: { name: string }[] };
    const without = (...names: string[]) => ({ grants: all.grants.filter((g) => !names.includes(g.name)) });
    fs.rmSync(scratch, { recursive: true, force: true });

    await deleteAndRecreate(file, all);
    await sleep(GONE_FOR_MS);
    const sessions = {
      a: await openSession(runtime.mcpUrl, tokens.a),
      b: await openSession(runtime.mcpUrl, tokens.b),
      c: await openSession(runtime.mcpUrl, tokens.c),
      d: await openSession(runtime.mcpUrl, tokens.d),
    };

    renameOver(file, without('a'));
    await eventually('grant a revoked by a file renamed over grants.json', () => sessions.a.ended());
    expect(sessions.b.ended()).toBe(false);

    writeJson(file, without('a', 'b'));
    await eventually('grant b revoked in place after the rename', () => sessions.b.ended());
    expect(sessions.c.ended()).toBe(false);

    await deleteAndRecreate(file, without('a', 'b', 'c'));
    await eventually('grant c revoked by a file deleted and re-created', () => sessions.c.ended());
    // The deletion itself revoked every grant for a moment; d came back with the file and opens a new session.
    expect(sessions.d.ended()).toBe(true);
    await sleep(GONE_FOR_MS);
    const again = await openSession(runtime.mcpUrl, tokens.d);
    writeJson(file, without('a', 'b', 'c', 'd'));
    await eventually('grant d revoked after the file came back', () => again.ended());
  });

  it('grants.json: a revoke still ends live sessions when a request with an unknown token reads the file first', async () => {
    const { home, runtime } = await setup();
    const file = path.join(home.home, 'grants.json');
    const session = await openSession(runtime.mcpUrl, home.tokens.a!);
    writeJson(file, { grants: [] });
    // Any client can make the gateway read grants.json again at once: it does so for a token it does not know.
    const stranger = await fetch(runtime.mcpUrl, {
      method: 'POST',
      headers: { authorization: 'Bearer gh_not-a-grant', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(stranger.status).toBe(401);
    await eventually('the revoked grant’s session ended', () => session.ended());
  });
});

/** An MCP session opened by hand, holding its GET stream: `ended()` once the gateway closes the session. */
async function openSession(mcpUrl: string, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  const init = await fetch(mcpUrl, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'files-return', version: '1' },
      },
    }),
  });
  expect(init.status).toBe(200);
  await init.text();
  const id = init.headers.get('mcp-session-id')!;
  const stream = await fetch(mcpUrl, {
    headers: { ...auth, accept: 'text/event-stream', 'mcp-session-id': id },
  });
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  let ended = false;
  void (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // a reset stream has ended too
    }
    ended = true;
  })();
  return { id, ended: () => ended };
}
