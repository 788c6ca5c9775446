// PATCH /api/policy, the GUI's edits (DESIGN.md §7): each sets or removes one JSON path, keeps the rest of the file
// byte for byte, is validated before it is written, respects If-Match, and is in force for the next call.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ApiRequestError } from '../../../shared/api/operations.js';
import { createClient } from '../../../shared/api/client.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const POLICY = `{
  "$schema": "./policy.schema.json",
  "x-note": "kept as written",
  "version": "1",
  "default": "allow",
  "tools": {
    "get-sum": { "limits": [{ "counter": "sums", "window": "hour", "max": 5 }] }
  }
}
`;

describe('PATCH /api/policy', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  let agent: Client;
  const file = () => path.join(home.home, 'policy.json');
  const control = () => createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
  const patch = (body: unknown, ifMatch?: string) =>
    fetch(`${runtime.controlUrl}/policy`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${runtime.adminToken}`,
        'content-type': 'application/json',
        ...(ifMatch ? { 'if-match': ifMatch } : {}),
      },
      body: JSON.stringify(body),
    });
  const echo = async () =>
    JSON.stringify(await agent.callTool({ name: 'ev__echo', arguments: { message: 'hi' } }));

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: POLICY });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
    agent = await connectClient(runtime.mcpUrl, home.tokens.test!);
  });
  afterAll(async () => {
    await agent?.close();
    await gateway?.stop();
    home?.cleanup();
  });

  it('sets a rule that the next call meets, changing only that part of the file, and removing it undoes it byte for byte', async () => {
    expect(await echo()).toContain('Echo: hi');
    const { etag } = await control().getPolicy({});
    const res = await patch(
      { set: [{ path: ['tools', 'echo'], value: { action: 'deny', reason: 'no echo' } }] },
      etag,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { etag: string; version: string };
    expect(res.headers.get('etag')).toBe(body.etag);
    expect(fs.readFileSync(file(), 'utf8')).toBe(
      POLICY.replace(
        '"max": 5 }] }\n',
        '"max": 5 }] },\n    "echo": {\n      "action": "deny",\n      "reason": "no echo"\n    }\n',
      ),
    );
    expect(await echo()).toContain('Gatehouse denied ev__echo: no echo');

    const undone = await control().patchPolicy({
      set: [{ path: ['tools', 'echo'], value: null }],
      ifMatch: body.etag,
    });
    expect(undone.etag).not.toBe(body.etag);
    expect(fs.readFileSync(file(), 'utf8')).toBe(POLICY);
    expect(await echo()).toContain('Echo: hi');
  });

  it('refuses an edit made on a stale copy (409) and an invalid result (400 with its path), leaving the file alone', async () => {
    const { etag } = await control().getPolicy({});
    fs.writeFileSync(file(), POLICY.replace('"default": "allow"', '"default": "approve"'));
    await new Promise((r) => setTimeout(r, 300));
    const stale = await patch({ set: [{ path: ['default'], value: 'deny' }] }, etag);
    expect(stale.status).toBe(409);
    const edited = fs.readFileSync(file(), 'utf8');

    const invalid = await patch({ set: [{ path: ['tools', 'echo'], value: { action: 'maybe' } }] });
    expect(invalid.status).toBe(400);
    const errors = ((await invalid.json()) as { errors: { path: string }[] }).errors;
    expect(errors[0]!.path).toBe('tools.echo.action');
    expect(fs.readFileSync(file(), 'utf8')).toBe(edited);

    const malformed = await patch({ set: [{ path: [], value: 1 }] });
    expect(malformed.status).toBe(400);
    await expect(control().patchPolicy({ set: [{ path: ['default'], value: 'x' }] })).rejects.toBeInstanceOf(
      ApiRequestError,
    );
    fs.writeFileSync(file(), POLICY);
  });
});
