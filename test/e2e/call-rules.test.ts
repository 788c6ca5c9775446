// From a call to a rule, in Chromium against gatehouse serve: a call's details offer "Always allow this", "Ask next
// time" and "Deny this tool" for its client or for all clients; each click is one exact edit of policy.json that the
// next call meets, Undo puts the file back byte for byte, and a file changed on disk meanwhile is never overwritten.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectClient, everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { callTool, openDashboardWithAgent, shot, textOf, waitForTool } from './browser.js';

const textOf2 = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const BASE = { version: '1', default: 'allow', 'x-note': 'kept as it is' };
const ORIGINAL = textOf2(BASE);
const CURSOR_DENY = textOf2({
  ...BASE,
  grants: { cursor: { servers: { ev: { tools: { echo: { action: 'deny' } } } } } },
});
const forAll = (action: string) => textOf2({ ...BASE, servers: { ev: { tools: { echo: { action } } } } });

describe('Rules from a call in Live calls', () => {
  let home: TestHome;
  let dash: Awaited<ReturnType<typeof openDashboardWithAgent>>;
  let other: Client;
  const file = () => path.join(home.home, 'policy.json');
  const onDisk = () => fs.readFileSync(file(), 'utf8');
  const details = () => dash.page.getByRole('complementary');
  const click = (name: string) => details().getByRole('button', { name, exact: true }).click();
  const scope = (word: RegExp) =>
    details().getByRole('radiogroup', { name: 'For' }).getByRole('radio', { name: word }).check();
  const bar = (text: string) => details().locator('.policy-edit-bar').filter({ hasText: text }).waitFor();
  const rows = () => dash.page.locator('.calls-body [role=row]');
  const admin = (route: string, init: RequestInit = {}) =>
    fetch(`${dash.serve.runtime.controlUrl}${route}`, {
      ...init,
      headers: {
        authorization: `Bearer ${dash.serve.runtime.adminToken}`,
        'content-type': 'application/json',
      },
    });
  const pendingApprovals = async () =>
    ((await (await admin('/approvals')).json()) as { approvals: { id: string; grant: string }[] }).approvals;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, grants: ['cursor', 'other'], policy: ORIGINAL });
    dash = await openDashboardWithAgent(home, 'cursor', 'ev__echo');
    other = await connectClient(dash.serve.runtime.mcpUrl, home.tokens.other as string);
    await waitForTool(other, 'ev__echo');
  });

  afterAll(async () => {
    await other?.close().catch(() => undefined);
    await dash?.close();
    home?.cleanup();
  });

  it('"Deny this tool" for this client: its next call is denied, another client still passes', async () => {
    const { page } = dash;
    expect((await callTool(dash.client, 'ev__echo', { message: 'hi' })).isError).toBeFalsy();
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().click();
    await details().getByRole('heading', { name: 'Rule for this tool' }).waitFor();
    expect(await details().getByRole('radio', { name: 'this client (cursor)' }).isChecked()).toBe(true);

    await click('Deny this tool');
    await bar('Saved: Deny for cursor written to policy.json at grants.cursor.servers.ev.tools.echo.');
    expect(onDisk()).toBe(CURSOR_DENY);
    const denied = await callTool(dash.client, 'ev__echo', { message: 'again' });
    expect(textOf(denied)).toMatch(/^Gatehouse denied ev__echo/);
    await expect.poll(() => rows().first().locator('.badge').innerText()).toBe('denied');
    expect(await rows().first().innerText()).toContain('cursor');
    const passed = await callTool(other, 'ev__echo', { message: 'from the other client' });
    expect(textOf(passed)).toContain('from the other client');

    // For all clients, this client's own deny would still win over Allow or Ask.
    await scope(/all clients/);
    await expect
      .poll(() => details().locator('.deny-note').innerText())
      .toContain('grants.cursor.servers.ev.tools.echo denies it');
    for (const [width, suffix] of [
      [1280, ''],
      [800, '-narrow'],
    ] as const) {
      await page.setViewportSize({ width, height: 800 });
      await shot(page, `call-rules${suffix}`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, `call-rules${suffix}-dark`);
      await page.emulateMedia({ colorScheme: 'light' });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('Undo puts policy.json back byte for byte, and the client passes again', async () => {
    await details().getByRole('button', { name: 'Undo' }).click();
    await bar('Undone: Deny for cursor');
    expect(onDisk()).toBe(ORIGINAL);
    await expect.poll(() => details().locator('.deny-note').count()).toBe(0);
    expect((await callTool(dash.client, 'ev__echo', { message: 'back' })).isError).toBeFalsy();
  });

  it('"Ask next time" for all clients: the next call waits for an approval', async () => {
    await click('Ask next time');
    await bar('Saved: Ask for all clients written to policy.json at servers.ev.tools.echo.');
    expect(onDisk()).toBe(forAll('approve'));
    const waiting = callTool(other, 'ev__echo', { message: 'may I?' });
    await expect.poll(async () => (await pendingApprovals()).map((a) => a.grant)).toEqual(['other']);
    await expect.poll(() => dash.page.title()).toBe('(1) Gatehouse');
    const [approval] = await pendingApprovals();
    const answer = await admin(`/approvals/${approval?.id}`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(answer.status).toBe(200);
    expect(textOf(await waiting)).toContain('may I?');
  });

  it('"Always allow this" for all clients changes only the action, and calls pass without asking', async () => {
    await click('Always allow this');
    await bar('Saved: Allow for all clients written to policy.json at servers.ev.tools.echo.');
    expect(onDisk()).toBe(forAll('allow'));
    const result = await callTool(dash.client, 'ev__echo', { message: 'no questions' });
    expect(textOf(result)).toContain('no questions');
    expect(await pendingApprovals()).toEqual([]);
  });

  it('a file changed on disk meanwhile is refused, said, and not overwritten', async () => {
    // The dashboard also hears of a change on disk (the policy event) and reads the file again: a click that comes
    // after that edits the new text, and is no conflict. On a busy machine it can, so the disk is edited again until
    // a click lands first — and in every case the edit on disk is never lost.
    const conflict = 'policy.json changed since you opened it — reloaded; make your change again';
    for (let attempt = 1; ; attempt++) {
      const diskEdit = forAll('allow').replace('"kept as it is"', `"edited on disk ${attempt}"`);
      fs.writeFileSync(file(), diskEdit);
      await click('Deny this tool');
      const edited = details().locator('.policy-edit-bar');
      await edited.waitFor();
      if ((await edited.innerText()).includes(conflict)) {
        expect(await edited.getAttribute('role')).toBe('alert');
        expect(onDisk()).toBe(diskEdit);
        return;
      }
      expect(onDisk()).toContain(`"edited on disk ${attempt}"`);
      if (attempt === 5)
        throw new Error('the dashboard heard of every disk edit before the click: no conflict seen');
    }
  });

  it('an edit the gateway refuses (400) shows its message, and the file stays as it was', async () => {
    const invalid = forAll('allow').replace('"default": "allow"', '"default": "maybe"');
    fs.writeFileSync(file(), invalid);
    // A panel opened afresh reads the file as it is now.
    await details().getByRole('button', { name: 'Close call details' }).click();
    await rows().first().click();
    await click('Deny this tool');
    await expect
      .poll(() => details().locator('.policy-edit-bar').innerText())
      .toMatch(/^The change was not saved: the policy is not valid: 1 error/);
    expect(await details().getByRole('list', { name: 'Why the gateway refused it' }).innerText()).toMatch(
      /^default: must be one of allow, deny, approve/,
    );
    await shot(dash.page, 'call-rules-refused');
    expect(onDisk()).toBe(invalid);
    const expected = /status of (400 \(Bad Request\)|409 \(Conflict\)) \(http:\/\/[^)]+\/api\/policy\)$/;
    expect(dash.errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
