// The Connect view and the first-run screen in Chromium, against `gatehouse serve` whose HOME is a temporary folder
// holding Claude Desktop's fixture config: the first-run screen on an empty home (its starting policy written by
// click), then Claude Desktop connected by click — the file on disk changed, its servers in the Servers view — and
// undone by click, the file byte for byte as before. No secret of the config reaches the page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeHome,
  REPO_ROOT,
  startServe,
  type ServeProcess,
  type TestHome,
} from '../helpers/gateway-fixture.js';
import {
  assertBuilt,
  CHROMIUM,
  loginUrlOf,
  openPage,
  rowOf,
  SCREENSHOTS,
  shotsEveryWay,
  stopServe,
} from './browser.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'clients', 'claude_desktop_config.json');
const SECRETS = ['ghp_exampleexampleexampleexample0000', 'hunter2 with spaces'];

describe('Connect view and first-run screen', () => {
  let home: TestHome;
  let user: string;
  let config: string;
  let original: string;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    user = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-user-'));
    config = path.join(user, '.config', 'Claude', 'claude_desktop_config.json');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.copyFileSync(FIXTURE, config);
    original = fs.readFileSync(config, 'utf8');
    home = makeHome({ policy: { version: '1', default: 'approve' } });
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: user };
    delete env.XDG_CONFIG_HOME;
    delete env.GATEHOUSE_HOME;
    [serve, browser] = await Promise.all([
      startServe(home.home, ['--port', '0'], env),
      chromium.launch(CHROMIUM),
    ]);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
    });
    page = await openPage(context, errors);
    await page.goto(loginUrlOf(serve.readyLine));
    await page.getByRole('heading', { name: 'Live calls' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await stopServe(serve);
    home?.cleanup();
    if (user) fs.rmSync(user, { recursive: true, force: true });
  });

  it('walks a new home through: connect a client, the starting policy, watch calls', async () => {
    const guide = page.getByRole('region', { name: 'Get started' });
    await guide.waitFor();
    await shotsEveryWay(page, 'first-run');
    await guide.getByRole('button', { name: 'Use this policy' }).click();
    await guide.getByRole('status').filter({ hasText: 'Written' }).waitFor();
    const policy = JSON.parse(fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8')) as {
      tools: Record<string, unknown>;
    };
    expect(policy.tools['get_*']).toEqual({ action: 'allow' });
    // The guide stays while there is no server, step 2 marked done.
    await expect.poll(() => guide.isVisible()).toBe(true);
    await guide.getByRole('link', { name: 'Open Connect' }).click();
    await page.getByRole('heading', { name: 'Connect', exact: true }).waitFor();
    expect(page.url()).toMatch(/#connect$/);
  });

  it('connects Claude Desktop by click, and undoes it by click, byte for byte', async () => {
    const card = page.getByRole('region', { name: 'Claude Desktop' });
    await card.getByText('not connected').waitFor();
    await expect
      .poll(() => card.innerText())
      .toContain('Bypassing Gatehouse: filesystem, GitHub_Tools, windows-db');
    expect(await card.innerText()).toMatch(/Quit Claude Desktop before you connect/);
    expect(await page.getByRole('region', { name: 'Cursor' }).innerText()).toContain('config not found');
    await shotsEveryWay(page, 'connect');

    await card.getByRole('button', { name: 'Preview the change' }).click();
    const preview = card.getByLabel('What connecting Claude Desktop changes');
    await preview.waitFor();
    const shown = await preview.innerText();
    expect(shown).toContain('GitHub_Tools → github-tools');
    expect(shown).toContain('+    "gatehouse": {');
    expect(shown).toContain('-    "GitHub_Tools": {');
    for (const secret of SECRETS) expect(await page.content()).not.toContain(secret);
    expect(fs.readFileSync(config, 'utf8')).toBe(original);
    await card.getByRole('button', { name: 'Connect Claude Desktop' }).scrollIntoViewIfNeeded();
    await shotsEveryWay(page, 'connect-preview');

    await card.getByRole('button', { name: 'Connect Claude Desktop' }).click();
    await card.getByRole('status').filter({ hasText: 'Connected Claude Desktop' }).waitFor();
    expect(await card.getByRole('status').filter({ hasText: 'Connected' }).innerText()).toMatch(
      /Now start Claude Desktop again/,
    );
    const written = JSON.parse(fs.readFileSync(config, 'utf8')) as {
      mcpServers: Record<string, { command: string; args: string[] }>;
      preferences: unknown;
    };
    expect(Object.keys(written.mcpServers)).toEqual(['gatehouse']);
    expect(written.mcpServers.gatehouse!.args).toEqual([
      path.join(REPO_ROOT, 'bin', 'gatehouse.js'),
      'bridge',
      '--grant',
      'claude',
      '--home',
      home.home,
    ]);
    expect(written.preferences).toEqual(JSON.parse(original).preferences);
    await card.getByText('connected', { exact: true }).waitFor();
    await shotsEveryWay(page, 'connect-done');

    await page.getByRole('link', { name: 'Servers' }).click();
    for (const name of ['filesystem', 'github-tools', 'windows-db'])
      await expect.poll(() => rowOf(page, name).count()).toBe(1);

    await page.getByRole('link', { name: 'Connect' }).click();
    await card.getByRole('button', { name: 'Undo connect' }).click();
    await card.getByRole('status').filter({ hasText: 'Restored' }).waitFor();
    expect(fs.readFileSync(config, 'utf8')).toBe(original);
    await card.getByText('not connected').waitFor();
    for (const secret of SECRETS) expect(await page.content()).not.toContain(secret);
    expect(errors).toEqual([]);
  });

  it('refuses a connect whose preview is stale, says so, and shows the change as it is now', async () => {
    const card = page.getByRole('region', { name: 'Claude Desktop' });
    await card.getByRole('button', { name: 'Preview the change' }).click();
    await card.getByLabel('What connecting Claude Desktop changes').waitFor();
    // Claude Desktop (or anyone) writes its config after the preview.
    const changed = original.replace('Ctrl+Alt+Space', 'Ctrl+Alt+G');
    fs.writeFileSync(config, changed);
    await card.getByRole('button', { name: 'Connect Claude Desktop' }).click();
    await expect.poll(() => card.getByRole('alert').innerText()).toMatch(/changed since the preview/);
    expect(fs.readFileSync(config, 'utf8')).toBe(changed);
    // The preview shown now is of the config as it is.
    await expect
      .poll(() => card.getByLabel('Changes to the config file').innerText())
      .toContain('Ctrl+Alt+G');
    // Undo would lose the change made since: it is not offered.
    await expect.poll(() => card.getByRole('button', { name: 'Undo connect' }).count()).toBe(0);
    await card.getByRole('alert').scrollIntoViewIfNeeded();
    await shotsEveryWay(page, 'connect-stale');
    // The browser logs the refused request itself; nothing else may have gone wrong.
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });
});
