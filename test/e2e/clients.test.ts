// The Clients view in Chromium against gatehouse serve: a grant created by the form, its token shown once (and
// working), the ready-to-paste configurations, the token gone once dismissed, a revoke after confirming that ends the
// grant's sessions, and a name outside the rule refused before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { openDashboard, rowOf, shot, type OpenDashboard } from './browser.js';

describe('Clients view', () => {
  let home: TestHome;
  let dash: OpenDashboard;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() } });
    dash = await openDashboard(home.home);
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('creates a grant whose token is shown once and works, then revokes it after a confirmation', async () => {
    const { page } = dash;
    const { mcpUrl } = dash.serve.runtime;
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    expect(page.url()).toMatch(/#clients$/);
    await expect.poll(() => rowOf(page, 'test').count()).toBe(1);

    await page.getByLabel('Client name').fill('cursor-laptop');
    await page.getByRole('button', { name: 'Create grant' }).click();
    const box = page.getByTestId('token-box');
    await box.waitFor();
    const token = (await page.getByTestId('token').innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    await expect.poll(() => rowOf(page, 'cursor-laptop').count()).toBe(1);

    // The snippets hold the token and the MCP URL (the dashboard's origin + /mcp).
    const origin = new URL(page.url()).origin;
    expect(mcpUrl).toBe(`${origin}/mcp`);
    const cursor = JSON.parse(await page.getByTestId('snippet-cursor').innerText()) as {
      mcpServers: { gatehouse: { url: string; headers: Record<string, string> } };
    };
    expect(cursor.mcpServers.gatehouse).toEqual({
      url: mcpUrl,
      headers: { Authorization: `Bearer ${token}` },
    });
    const vscode = JSON.parse(await page.getByTestId('snippet-vscode').innerText()) as unknown;
    expect(vscode).toEqual({
      servers: {
        gatehouse: { type: 'http', url: mcpUrl, headers: { Authorization: `Bearer ${token}` } },
      },
    });
    expect(await page.getByTestId('snippet-mcp-remote').innerText()).toBe(
      `npx -y mcp-remote ${mcpUrl} --header "Authorization: Bearer ${token}"`,
    );

    // The Copy button writes to the clipboard, or says it could not.
    await page.getByRole('button', { name: 'Copy the token' }).click();
    await expect.poll(() => box.getByRole('status').first().innerText()).toMatch(/Copied|Could not copy/);

    // The token works.
    const client = await connectClient(mcpUrl, token);
    await expect
      .poll(async () => (await client.listTools()).tools.length, { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => rowOf(page, 'cursor-laptop').innerText()).toMatch(/\t1\t/);

    await shot(page, 'clients');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'clients-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Once dismissed, the token is nowhere in the page.
    await page.getByRole('button', { name: /hide the token/ }).click();
    await expect.poll(() => box.count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    await shot(page, 'clients-list');
    expect(await page.locator('body').innerText()).not.toContain(token);

    // Revoke, after the confirmation that says how many sessions end.
    await rowOf(page, 'cursor-laptop').getByRole('button', { name: 'Revoke cursor-laptop' }).click();
    const confirm = page.getByRole('group', { name: 'Revoke cursor-laptop?' });
    expect(await confirm.innerText()).toMatch(/Revoke cursor-laptop\? Its 1 open session end\./);
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect.poll(() => rowOf(page, 'cursor-laptop').count()).toBe(0);
    await expect(client.listTools()).rejects.toThrow();
    await expect(connectClient(mcpUrl, token)).rejects.toThrow();
    await client.close().catch(() => undefined);
    expect(dash.errors).toEqual([]);
  });

  it('refuses a name outside the rule before sending it, and shows the gateway’s 409 for a taken one', async () => {
    const { page } = dash;
    await page.goto(`${dash.serve.runtime.dashboardUrl}#clients`);
    await page.reload();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await expect.poll(() => rowOf(page, 'test').count()).toBe(1);
    const rows = await page.getByRole('row').count();

    await page.getByLabel('Client name').fill('bad name!');
    await page.getByRole('button', { name: 'Create grant' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/Not a valid name: use letters, digits/);
    expect(await page.getByTestId('token-box').count()).toBe(0);
    expect(await page.getByRole('row').count()).toBe(rows);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByRole('row').count()).toBe(rows);

    await page.getByLabel('Client name').fill('test');
    await page.getByRole('button', { name: 'Create grant' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/already exists.*Pick another name/);
    expect(await page.getByTestId('token-box').count()).toBe(0);
    // The browser logs the refused request itself; nothing else may be logged.
    expect(dash.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });
});
