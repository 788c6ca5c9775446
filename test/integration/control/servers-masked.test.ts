// Editing a server through the API with the config as the API showed it (secrets masked): the masks keep the stored
// secrets byte for byte, a changed secret is written, and a mask in a new place is refused naming the field —
// servers.json never receives a mask.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../shared/api/operations.js';
import { createClient } from '../../../shared/api/client.js';
import type { ServerConfig, StdioServerConfig } from '../../../shared/servers.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { MASK } from '../../../electron/gateway/control/mask.js';
import { everythingStdio, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';

// Odd bytes on purpose: quotes, a backslash, non-ASCII, a mask-like dot.
const SECRET = 'sk-live-"q\\7ÿ•W-0123456789abcdef';
const HEADER = 'Bearer tok-ABCdef0123456789xyz';
const TOKEN_URL = 'http://127.0.0.1:9/mcp/abcdefghij0123456789KLMNOP?api_key=qv-123456';

describe('servers API: edits of a config shown masked', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  const admin = () => createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
  const fileText = () => fs.readFileSync(path.join(home.home, 'servers.json'), 'utf8');
  const stored = (name: string) =>
    (JSON.parse(fileText()) as { mcpServers: Record<string, ServerConfig> }).mcpServers[name];
  const shown = async (name: string) => (await admin().getServer({ name })).config as ServerConfig;
  const toolsOfEv = async () =>
    (await admin().listServers({})).servers.find((s) => s.name === 'ev')?.status?.toolCount ?? 0;

  beforeAll(async () => {
    home = makeHome({
      servers: {
        ev: everythingStdio({ env: { API_KEY: SECRET, LOG_LEVEL: 'info' } }),
        remote: { url: TOKEN_URL, headers: { Authorization: HEADER }, disabled: true },
      },
    });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
  });
  afterAll(async () => {
    await gateway?.stop();
    home?.cleanup();
  });

  it('keeps the real secrets byte for byte after an edit that left the masks in place', async () => {
    const before = await shown('ev');
    expect(JSON.stringify(before)).not.toContain(SECRET);
    expect((before as { env: Record<string, string> }).env.API_KEY).toBe(MASK);
    const view = await admin().putServer({ name: 'ev', config: { ...before, cwd: home.home } });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(stored('ev')).toEqual(
      everythingStdio({ env: { API_KEY: SECRET, LOG_LEVEL: 'info' }, cwd: home.home }),
    );
    expect(fileText()).toContain(JSON.stringify(SECRET));
    expect(fileText()).not.toContain(MASK);
    await expect.poll(toolsOfEv, { timeout: 20_000 }).toBeGreaterThan(0);

    const remote = await shown('remote');
    expect(JSON.stringify(remote)).not.toContain('abcdefghij0123456789KLMNOP');
    await admin().putServer({ name: 'remote', config: { ...remote, disabled: false } });
    await admin().putServer({ name: 'remote', config: { ...(await shown('remote')), disabled: true } });
    expect(stored('remote')).toEqual({ url: TOKEN_URL, headers: { Authorization: HEADER }, disabled: true });
  });

  it('writes a changed secret', async () => {
    const before = (await shown('ev')) as StdioServerConfig;
    await admin().putServer({
      name: 'ev',
      config: { ...before, env: { ...before.env, API_KEY: 'sk-new-value-42' } },
    });
    expect(stored('ev')).toMatchObject({ env: { API_KEY: 'sk-new-value-42', LOG_LEVEL: 'info' } });
    const remote = (await shown('remote')) as { url: string; headers: Record<string, string> };
    await admin().putServer({
      name: 'remote',
      config: { ...remote, headers: { Authorization: 'Bearer other' } } as ServerConfig,
    });
    expect(stored('remote')).toEqual({
      url: TOKEN_URL,
      headers: { Authorization: 'Bearer other' },
      disabled: true,
    });
  });

  it('refuses a mask in a new place with 400 naming the field, writing nothing', async () => {
    const before = fileText();
    const ev = (await shown('ev')) as { command: string; args: string[]; env: Record<string, string> };
    const refusal = async (config: unknown) => {
      const err = await admin()
        .putServer({ name: 'ev', config: config as ServerConfig })
        .then(
          () => undefined,
          (e: unknown) => e as ApiRequestError,
        );
      expect(err?.status).toBe(400);
      return err?.message;
    };
    expect(await refusal({ ...ev, env: { ...ev.env, OTHER_KEY: MASK } })).toMatch(
      /^re-enter the secret of env\.OTHER_KEY: it was shown masked/,
    );
    expect(await refusal({ ...ev, args: [...ev.args, `--token=${MASK}`] })).toMatch(
      /^re-enter the secret of args\[2\]: it was shown masked/,
    );
    const remote = (await shown('remote')) as { url: string };
    const err = await admin()
      .putServer({ name: 'remote', config: { ...remote, url: `${remote.url}&x=1` } as ServerConfig })
      .then(
        () => undefined,
        (e: unknown) => e as ApiRequestError,
      );
    expect(err?.status).toBe(400);
    expect(err?.message).toMatch(/^re-enter the secret of url: /);
    // A new server cannot be given a mask either.
    const fresh = await admin()
      .putServer({ name: 'fresh', config: { command: 'node', env: { API_KEY: MASK } } })
      .then(
        () => undefined,
        (e: unknown) => e as ApiRequestError,
      );
    expect(fresh?.message).toMatch(/env\.API_KEY/);
    expect(fileText()).toBe(before);
  });
});
