// A grant created or revoked through the control API (the dashboard, gatehouse grant revoke) is in force for the very
// next request — not once the file watcher notices grants.json: a revoked token must open no new session meanwhile.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { CLI, connectClient, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';

const execFileAsync = promisify(execFile);

describe('grants through the control API', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  const admin = () => createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });

  beforeAll(async () => {
    home = makeHome();
    ({ gateway, runtime } = await startGateway(home));
  });
  afterAll(async () => {
    await gateway?.stop();
    home?.cleanup();
  });

  it('a new token works at once, and a revoked one is refused at once', async () => {
    for (let round = 0; round < 5; round++) {
      const { token } = await admin().addGrant({ name: `laptop-${round}` });
      const client = await connectClient(runtime.mcpUrl, token);
      await client.close();
      await admin().revokeGrant({ name: `laptop-${round}` });
      await expect(connectClient(runtime.mcpUrl, token)).rejects.toThrow(/unknown or revoked grant token/);
    }
  });

  it('gatehouse grant revoke goes through the running gateway: refused at once', async () => {
    const { token } = await admin().addGrant({ name: 'cli-revoked' });
    await (await connectClient(runtime.mcpUrl, token)).close();
    const revoked = await execFileAsync(process.execPath, [
      CLI,
      '--home',
      home.home,
      'grant',
      'revoke',
      'cli-revoked',
    ]);
    expect(revoked.stdout).toBe('revoked grant "cli-revoked"\n');
    await expect(connectClient(runtime.mcpUrl, token)).rejects.toThrow(/unknown or revoked grant token/);
    const unknown = await execFileAsync(process.execPath, [
      CLI,
      '--home',
      home.home,
      'grant',
      'revoke',
      'nobody',
    ]).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(unknown?.code).toBe(1);
    expect(unknown?.stderr).toContain('no grant named "nobody"');
  });
});
