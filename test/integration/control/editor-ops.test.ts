// The operations behind the dashboard's editors: a draft policy checked without saving it (errors and shadowed
// rules), one argument rule tried on one value by the code that checks calls, and sign-out ending a dashboard token.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../shared/api/operations.js';
import { createClient } from '../../../shared/api/client.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { everythingStdio, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';

describe('editor operations', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  const admin = () => createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: unknown) => err as ApiRequestError,
    );

  beforeAll(async () => {
    home = makeHome({ servers: { ev: { ...everythingStdio(), cwd: '/tmp' } } });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
  });
  afterAll(async () => {
    await gateway?.stop();
    home?.cleanup();
  });

  it('checks a draft without saving it: errors with line, and rules that can never decide', async () => {
    const before = fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8');
    const shadowed = JSON.stringify(
      { version: '1', tools: { 'delete_*': { action: 'deny' }, delete_file: { action: 'allow' } } },
      null,
      2,
    );
    const ok = await admin().checkPolicy({ text: shadowed });
    expect(ok.ok).toBe(true);
    expect(ok.errors).toEqual([]);
    expect(ok.warnings).toHaveLength(1);
    expect(ok.warnings[0]).toMatchObject({ path: 'tools["delete_file"]', line: 7 });
    expect(ok.warnings[0]!.message).toContain('delete_*');

    const bad = await admin().checkPolicy({ text: '{\n  "version": "1",\n  "defualt": "allow"\n}\n' });
    expect(bad.ok).toBe(false);
    expect(bad.errors[0]).toMatchObject({ line: 3 });
    expect(bad.errors[0]!.message).toContain('default');
    expect(fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8')).toBe(before);
  });

  it('tries an argument rule on a value with the code that checks calls', async () => {
    const test = (rule: Record<string, unknown>, value: unknown) =>
      admin().testArgument({ server: 'ev', name: 'message', rule, value });
    expect(await test({ pattern: '[a-z]+' }, 'hello')).toEqual({ ok: true });
    expect(await test({ pattern: '[a-z]+' }, 'hello!')).toEqual({
      ok: false,
      violation: 'argument "message" does not match the pattern [a-z]+',
    });
    expect(await test({ maxLength: 3 }, 'four')).toMatchObject({ ok: false });
    expect(await test({ enum: ['a', 'b'] }, 'c')).toMatchObject({ ok: false });
    expect(await test({ min: 1, max: 5 }, 6)).toMatchObject({ ok: false });
    // Relative paths are read against the server's cwd, as calls are.
    expect(await test({ path: { within: ['/tmp'] } }, 'notes/a.txt')).toEqual({ ok: true });
    expect(await test({ path: { within: ['/tmp'] } }, '../etc/passwd')).toMatchObject({
      ok: false,
      violation: expect.stringContaining('is not inside /tmp'),
    });
    expect(await test({}, undefined)).toEqual({ ok: false, violation: 'argument "message" is missing' });
    const badPattern = await refusal(test({ pattern: '(a' }, 'a'));
    expect(badPattern?.status).toBe(400);
    expect(badPattern?.message).toContain('the rule cannot be used');
    const notARule = await refusal(test({ pattern: 1 }, 'a'));
    expect(notARule?.status).toBe(400);
  });

  it('lists each tool with the argument names of its input schema, to offer to argument rules', async () => {
    const { tools } = await admin().listTools({});
    expect(tools.find((t) => t.tool === 'echo')?.argumentNames).toEqual(['message']);
    expect(tools.find((t) => t.tool === 'get-sum')?.argumentNames).toEqual(['a', 'b']);
  });

  it('signs out: the dashboard token stops working at once, and the admin token cannot be signed out', async () => {
    const { url } = await admin().createLoginUrl({});
    const code = decodeURIComponent(/#login=(.+)$/.exec(url)![1]!);
    const { token } = await createClient({ baseUrl: runtime.controlUrl, token: () => undefined }).login({
      code,
    });
    const dashboard = createClient({ baseUrl: runtime.controlUrl, token });
    expect((await dashboard.getPause({})).paused).toBe(false);
    expect(await dashboard.logout({})).toEqual({ ok: true });
    expect((await refusal(dashboard.getPause({})))?.status).toBe(401);
    expect((await refusal(dashboard.logout({})))?.status).toBe(401);
    expect((await refusal(admin().logout({})))?.status).toBe(400);
    expect((await admin().getPause({})).paused).toBe(false);
  });
});
