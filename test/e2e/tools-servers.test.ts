// The Tools and Servers views in Chromium against gatehouse serve: every tool grouped by server with its action and
// deciding rule, every server with its state, a failing one with its reason — and both follow changes live.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { openDashboard, rowOf, shot, type OpenDashboard } from './browser.js';

describe('Tools and Servers views', () => {
  let home: TestHome;
  let dash: OpenDashboard;

  beforeAll(async () => {
    home = makeHome({
      servers: { ev: everythingStdio(), broken: { command: '/nonexistent/command' } },
      policy: {
        version: '1',
        default: 'allow',
        tools: { 'get-env': { action: 'deny' }, echo: { action: 'approve' } },
      },
    });
    dash = await openDashboard(home.home);
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('lists every tool under its server with its action and the rule that decides it', async () => {
    const { page } = dash;
    await page.getByRole('link', { name: 'Tools' }).click();
    const group = page.getByRole('region', { name: 'ev' });
    const row = (tool: string) =>
      group.getByRole('row').filter({ has: page.getByRole('rowheader', { name: tool, exact: true }) });
    await expect.poll(() => row('get-env').innerText()).toMatch(/Deny\s+tools\["get-env"\]/);
    expect(await row('echo').innerText()).toMatch(/Ask\s+tools\["echo"\]/);
    expect(await row('get-sum').innerText()).toMatch(/Allow\s+default/);
    expect(page.url()).toMatch(/#tools$/);
    await shot(page, 'tools');

    // A policy change on disk shows without a reload.
    const file = path.join(home.home, 'policy.json');
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      tools: Record<string, { action: string }>;
    };
    written.tools['get-env'] = { action: 'allow' };
    fs.writeFileSync(file, JSON.stringify(written, null, 2));
    await expect
      .poll(() => row('get-env').innerText(), { timeout: 10_000 })
      .toMatch(/Allow\s+tools\["get-env"\]/);
  });

  it('shows each server’s state, a failing one with the reason in words, and opens on its own #servers', async () => {
    const { page } = dash;
    await page.goto(`${dash.serve.runtime.dashboardUrl}#servers`);
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    const row = (name: string) => rowOf(page, name);
    await expect.poll(() => row('ev').innerText()).toMatch(/^ev\s+ready\s+\d+/);
    await expect
      .poll(() => row('broken').innerText())
      .toMatch(/failed — command "\/nonexistent\/command" was not found/);
    await shot(page, 'servers');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'servers-dark');
    expect(dash.errors).toEqual([]);
  });
});
