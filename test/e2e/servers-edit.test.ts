// The Servers view's edits in Chromium against gatehouse serve: a server added by the form starts (or fails with the
// reason in words), a restart comes back ready, the switch disables a server in servers.json, a removal asks first, a
// bad name is refused before anything is written, an edit by the form restarts the server with its new config, and a
// config with secrets is edited, disabled and enabled without the secrets ever reaching the page or leaving the file.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { everythingStdio, makeHome, type ServeProcess, type TestHome } from '../helpers/gateway-fixture.js';
import { EVERYTHING_JS } from '../helpers/upstreams.js';
import { openDashboard, rowOf, shot, type OpenDashboard } from './browser.js';

const MEMORY_JS = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-memory/dist/index.js');
const SECRET = 'sk-e2e-"kept\\byte-for-byte-ÿ-0123456789';

describe('Servers view: add, restart, disable, remove', () => {
  let home: TestHome;
  let dash: OpenDashboard;
  let serve: ServeProcess;
  let page: Page;
  let errors: string[];

  const serversFile = () =>
    JSON.parse(fs.readFileSync(path.join(home.home, 'servers.json'), 'utf8')) as {
      mcpServers: Record<string, Record<string, unknown>>;
    };
  const row = (name: string) => rowOf(page, name);
  const form = () => page.getByRole('region', { name: 'Add a server' });
  const getJson = async <T>(route: string) => {
    const res = await fetch(`${serve.runtime.controlUrl}${route}`, {
      headers: { authorization: `Bearer ${serve.runtime.adminToken}` },
    });
    return (await res.json()) as T;
  };
  const pidOf = async (name: string) =>
    (await getJson<{ status?: { pid?: number } }>(`/servers/${name}`)).status?.pid;
  const toolCountOf = async (server: string) =>
    (await getJson<{ tools: { server: string }[] }>('/tools')).tools.filter((t) => t.server === server)
      .length;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: { version: '1', default: 'allow' } });
    dash = await openDashboard(home.home);
    ({ serve, page, errors } = dash);
    await page.goto(`${serve.runtime.dashboardUrl}#servers`);
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('refuses an invalid name with the rule in words, writing nothing', async () => {
    await expect.poll(() => row('ev').innerText(), { timeout: 20_000 }).toMatch(/^ev\s+ready\s+\d+/);
    const before = fs.readFileSync(path.join(home.home, 'servers.json'), 'utf8');
    await form().getByLabel('Name', { exact: true }).fill('Bad Name');
    await form().getByLabel('Command', { exact: true }).fill('node');
    await form().getByRole('button', { name: 'Add server' }).click();
    await expect
      .poll(() => form().innerText())
      .toContain('A name is 1–32 characters: lowercase letters, digits and "-"');
    expect(await form().getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    // A URL that does not parse, likewise.
    await form().getByLabel('A URL (HTTP)', { exact: true }).check();
    await form().getByLabel('URL', { exact: true }).fill('example.com/mcp');
    await form().getByRole('button', { name: 'Add server' }).click();
    await expect.poll(() => form().innerText()).toContain('"example.com/mcp" is not a URL');
    await form().getByRole('button', { name: 'Add server' }).scrollIntoViewIfNeeded();
    await shot(page, 'servers-edit-invalid');
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.readFileSync(path.join(home.home, 'servers.json'), 'utf8')).toBe(before);
    await form().getByLabel('A command (stdio)', { exact: true }).check();
  });

  it('adds a server by the form and shows it ready with its tools; a missing command shows failed with why', async () => {
    await form().getByLabel('Name', { exact: true }).fill('mem');
    await form().getByLabel('Command', { exact: true }).fill(process.execPath);
    await form().getByLabel('Arguments', { exact: true }).fill(MEMORY_JS);
    await form().getByRole('button', { name: 'Add server' }).click();
    await expect.poll(() => row('mem').innerText(), { timeout: 20_000 }).toMatch(/^mem\s+ready\s+[1-9]\d*/);
    expect(serversFile().mcpServers.mem).toEqual({ command: process.execPath, args: [MEMORY_JS] });
    expect(await form().getByLabel('Name', { exact: true }).inputValue()).toBe('');

    // A name taken: the gateway's 409, said next to the form, nothing changed.
    await form().getByLabel('Name', { exact: true }).fill('ev');
    await form().getByLabel('Command', { exact: true }).fill('node');
    await form().getByRole('button', { name: 'Add server' }).click();
    await expect
      .poll(() => form().getByRole('alert').innerText())
      .toBe('a server named "ev" already exists. Pick another name, or remove that server first.');
    expect(serversFile().mcpServers.ev).toEqual(everythingStdio());
    // The browser reports the refused request itself; nothing else may be in the console.
    errors.splice(0, errors.length, ...errors.filter((e) => !/status of 409/.test(e)));

    await form().getByLabel('Name', { exact: true }).fill('nope');
    await form().getByLabel('Command', { exact: true }).fill('/nonexistent/gatehouse-command');
    await form().getByRole('button', { name: 'Add server' }).click();
    await expect
      .poll(() => row('nope').innerText(), { timeout: 20_000 })
      .toMatch(/failed — command "\/nonexistent\/gatehouse-command" was not found/);
  });

  it('never shows headers back', async () => {
    await form().getByLabel('A URL (HTTP)', { exact: true }).check();
    await form().getByLabel('Name', { exact: true }).fill('remote');
    await form().getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/mcp');
    await form()
      .getByLabel('Headers (optional)', { exact: true })
      .fill('Authorization: Bearer sekrit-value-42');
    await form().getByRole('button', { name: 'Add server' }).click();
    await row('remote').waitFor();
    expect(serversFile().mcpServers.remote).toEqual({
      url: 'http://127.0.0.1:9/mcp',
      headers: { Authorization: 'Bearer sekrit-value-42' },
    });
    expect(await page.content()).not.toContain('sekrit-value-42');
    await form().getByLabel('A command (stdio)', { exact: true }).check();
  });

  it('shows the whole stderr tail on demand, secrets masked', async () => {
    await form().getByLabel('Name', { exact: true }).fill('noisy');
    await form().getByLabel('Command', { exact: true }).fill(process.execPath);
    const script =
      "for (const l of ['first line', 'api_key=sk-live-abcdef123456', 'last line']) console.error(l); process.exit(3)";
    await form().getByLabel('Arguments', { exact: true }).fill(`-e\n${script}`);
    await form().getByRole('button', { name: 'Add server' }).click();
    const summary = row('noisy').getByText(/^Last \d+ lines$/);
    await summary.waitFor({ timeout: 20_000 });
    expect(await row('noisy').locator('pre').isVisible()).toBe(false);
    await summary.click();
    const tail = await row('noisy').locator('pre').innerText();
    expect(tail).toMatch(/first line\n.*\nlast line/);
    expect(tail).not.toContain('sk-live-abcdef123456');
  });

  it('takes screenshots, light and dark, wide and narrow', async () => {
    await row('mem').getByRole('button', { name: 'Remove mem' }).click();
    await page.getByRole('heading', { name: 'Servers' }).scrollIntoViewIfNeeded();
    await shot(page, 'servers-edit');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'servers-edit-dark');
    await page.setViewportSize({ width: 800, height: 800 });
    await shot(page, 'servers-edit-800-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'servers-edit-800');
    await page.setViewportSize({ width: 1280, height: 800 });
    await row('mem').getByRole('button', { name: 'Cancel' }).click();
  });

  it('restarts a server: it comes back ready, as a new process', async () => {
    const pid = await pidOf('ev');
    expect(pid).toBeGreaterThan(0);
    await row('ev').getByRole('button', { name: 'Restart ev' }).click();
    await expect.poll(() => pidOf('ev'), { timeout: 20_000 }).not.toBe(pid);
    await expect.poll(() => row('ev').innerText(), { timeout: 20_000 }).toMatch(/^ev\s+ready\s+\d+/);
  });

  it('disables and enables a server with its switch, in servers.json', async () => {
    const enabled = row('mem').getByRole('switch', { name: 'mem enabled' });
    expect(await enabled.isChecked()).toBe(true);
    await enabled.click();
    await expect.poll(() => row('mem').innerText(), { timeout: 10_000 }).toMatch(/^mem\s+disabled/);
    expect(serversFile().mcpServers.mem).toEqual({
      command: process.execPath,
      args: [MEMORY_JS],
      disabled: true,
    });
    expect(await enabled.isChecked()).toBe(false);
    await shot(page, 'servers-edit-disabled');
    expect(await row('mem').getByRole('button', { name: 'Restart mem' }).isDisabled()).toBe(true);
  });

  it('removes a server only once confirmed', async () => {
    await row('mem').getByRole('button', { name: 'Remove mem' }).click();
    const confirm = row('mem').getByRole('group', { name: 'Remove mem?' });
    await confirm.waitFor();
    expect(await page.locator(':focus').innerText()).toBe('Cancel');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Remove mem');
    expect(serversFile().mcpServers.mem).toBeDefined();
    await row('mem').getByRole('button', { name: 'Remove mem' }).click();
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row('mem').count(), { timeout: 10_000 }).toBe(0);
    expect(Object.keys(serversFile().mcpServers).sort()).toEqual(['ev', 'noisy', 'nope', 'remote']);
    expect(errors).toEqual([]);
  });

  it('edits a server by its form: prefilled, saved, restarted with the new arguments', async () => {
    const pid = await pidOf('ev');
    await row('ev').getByRole('button', { name: 'Edit ev' }).click();
    const edit = page.getByRole('region', { name: 'Edit ev' });
    // The keyboard is in the form, on its kind of server.
    expect(await page.locator(':focus').getAttribute('type')).toBe('radio');
    const args = edit.getByLabel('Arguments', { exact: true });
    expect(await args.inputValue()).toBe(`${EVERYTHING_JS}\nstdio`);
    await args.fill(`--no-warnings\n${EVERYTHING_JS}\nstdio`);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => edit.count()).toBe(0);
    await expect.poll(() => page.locator(':focus').getAttribute('aria-label')).toBe('Edit ev');
    expect(serversFile().mcpServers.ev).toEqual({
      ...everythingStdio(),
      args: ['--no-warnings', EVERYTHING_JS, 'stdio'],
    });
    await expect.poll(() => pidOf('ev'), { timeout: 20_000 }).not.toBe(pid);
    await expect.poll(() => row('ev').innerText(), { timeout: 20_000 }).toMatch(/^ev\s+ready\s+[1-9]\d*/);
  });

  it('edits, disables and enables a server with a secret env: the secret stays in the file, never on the page', async () => {
    await form().getByLabel('Name', { exact: true }).fill('sec');
    await form().getByLabel('Command', { exact: true }).fill(process.execPath);
    await form().getByLabel('Arguments', { exact: true }).fill(MEMORY_JS);
    await form()
      .getByLabel('Environment (optional)', { exact: true })
      .fill(`API_KEY=${SECRET}\nLOG_LEVEL=info`);
    await form().getByRole('button', { name: 'Add server' }).click();
    await expect.poll(() => row('sec').innerText(), { timeout: 20_000 }).toMatch(/^sec\s+ready\s+[1-9]\d*/);
    const stored = {
      command: process.execPath,
      args: [MEMORY_JS],
      env: { API_KEY: SECRET, LOG_LEVEL: 'info' },
    };
    expect(serversFile().mcpServers.sec).toEqual(stored);
    const tools = await toolCountOf('sec');
    expect(tools).toBeGreaterThan(0);

    // The edit form shows the secret masked; a change elsewhere keeps it.
    await row('sec').getByRole('button', { name: 'Edit sec' }).click();
    const edit = page.getByRole('region', { name: 'Edit sec' });
    const env = edit.getByLabel('Environment (optional)', { exact: true });
    expect(await env.inputValue()).toBe('API_KEY=••••••\nLOG_LEVEL=••••••');
    await edit.getByLabel('Working folder (optional)', { exact: true }).fill(home.home);
    await shot(page, 'servers-edit-form');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'servers-edit-form-dark');
    await page.setViewportSize({ width: 800, height: 800 });
    await shot(page, 'servers-edit-form-800-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'servers-edit-form-800');
    await page.setViewportSize({ width: 1280, height: 800 });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => edit.count()).toBe(0);
    expect(serversFile().mcpServers.sec).toEqual({ ...stored, cwd: home.home });

    const enabled = row('sec').getByRole('switch', { name: 'sec enabled' });
    await enabled.click();
    await expect.poll(() => row('sec').innerText(), { timeout: 10_000 }).toMatch(/^sec\s+disabled/);
    await expect.poll(() => toolCountOf('sec'), { timeout: 10_000 }).toBe(0);
    expect(serversFile().mcpServers.sec).toEqual({ ...stored, cwd: home.home, disabled: true });
    await enabled.click();
    await expect.poll(() => toolCountOf('sec'), { timeout: 20_000 }).toBe(tools);
    await expect.poll(() => row('sec').innerText(), { timeout: 20_000 }).toMatch(/^sec\s+ready/);
    expect(serversFile().mcpServers.sec).toEqual({ ...stored, cwd: home.home });
    expect(await page.content()).not.toContain(SECRET);
    expect(errors).toEqual([]);
  });
});
