// The Tools view's rule editors in Chromium against gatehouse serve: a rate limit, argument rules (a pattern and a
// path rule, tried live before saving) and a per-client override, each saved as an exact edit of policy.json that
// the agents' next calls meet; a shared counter that disagrees is refused with the gateway's error inline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectClient, everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { filesystemStdio } from '../helpers/upstreams.js';
import {
  callTool,
  openDashboardWithAgent,
  shot,
  textOf,
  waitForTool,
  type OpenDashboard,
} from './browser.js';

const IMAGES = { counter: 'images', window: 'minute', max: 100 };
const textOfPolicy = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('The rule editors of the Tools view', () => {
  let home: TestHome;
  let files: string;
  let dash: OpenDashboard & { client: Client };
  let ci: Client;
  let page: Page;
  let file: string;
  // The policy as the test expects it on disk; each edit changes it, and the file must then equal it byte for byte.
  const expected = {
    version: '1',
    default: 'allow',
    'x-note': 'kept as it is',
    servers: {
      ev: { tools: { 'get-tiny-image': { limits: [IMAGES], 'x-why': 'kept' } } as Record<string, unknown> },
    } as Record<string, { tools: Record<string, unknown> }>,
  } as Record<string, unknown> & { servers: Record<string, { tools: Record<string, unknown> }> };

  const row = (server: string, tool: string) =>
    page
      .getByRole('region', { name: server, exact: true })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: tool, exact: true }) });
  const openEditors = async (server: string, tool: string): Promise<Locator> => {
    const button = row(server, tool).getByRole('button', { name: `Edit rule of ${tool}` });
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    const panel = page.getByRole('region', { name: `Rule of ${tool}`, exact: true });
    await panel.waitFor();
    return panel;
  };
  const saved = (text: string) => page.locator('.policy-edit-bar').filter({ hasText: text }).waitFor();
  const verdict = (group: Locator) => group.getByRole('status', { name: 'Test result' });
  const onDisk = () => fs.readFileSync(file, 'utf8');
  /** Scrolls the view so the tool's row sits just below the sticky head, its editors under it. */
  const showRow = (server: string, tool: string) =>
    row(server, tool).evaluate((el) => {
      const view = el.closest('.tools-view');
      const head = view?.querySelector('.tools-top');
      if (view && head)
        view.scrollBy(0, el.getBoundingClientRect().top - head.getBoundingClientRect().bottom - 8);
    });

  beforeAll(async () => {
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-rules-files-'));
    fs.mkdirSync(path.join(files, 'open'));
    fs.writeFileSync(path.join(files, 'open', 'a.txt'), 'open text');
    fs.writeFileSync(path.join(files, 'secret.txt'), 'secret text');
    home = makeHome({
      servers: { ev: everythingStdio(), fs: filesystemStdio([files]) },
      grants: ['laptop', 'ci'],
    });
    file = path.join(home.home, 'policy.json');
    fs.writeFileSync(file, textOfPolicy(expected), { mode: 0o600 });
    dash = await openDashboardWithAgent(home, 'laptop', 'ev__get-sum');
    page = dash.page;
    ci = await connectClient(dash.serve.runtime.mcpUrl, home.tokens.ci as string);
    await waitForTool(dash.client, 'fs__read_text_file');
    await page.getByRole('link', { name: 'Tools' }).click();
    await row('fs', 'read_text_file').waitFor();
  });

  afterAll(async () => {
    await ci?.close().catch(() => undefined);
    await dash?.close();
    home?.cleanup();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  it('a limit of 2 per minute on ev/get-sum: a new rule, and the agent’s third call is rate-limited', async () => {
    const panel = await openEditors('ev', 'get-sum');
    const limit = panel.getByRole('group', { name: 'New limit' });
    expect(await limit.getByLabel('Counter').inputValue()).toBe('ev_get-sum');
    await limit.getByLabel('Max calls').fill('2');
    await limit.getByLabel('Window').selectOption('minute');
    await limit.getByLabel('Counted per').selectOption('global');
    await limit.getByRole('button', { name: 'Add limit' }).click();
    await saved('Saved: ev/get-sum: limit added.');
    expected.servers.ev!.tools['get-sum'] = {
      action: 'allow',
      limits: [{ counter: 'ev_get-sum', window: 'minute', max: 2, scope: 'global' }],
    };
    expect(onDisk()).toBe(textOfPolicy(expected));
    await panel.getByRole('group', { name: 'Limit 1' }).waitFor();
    const texts = [];
    for (let i = 0; i < 3; i += 1)
      texts.push(textOf(await callTool(dash.client, 'ev__get-sum', { a: 1, b: 2 })));
    expect(texts[0]).toContain('3');
    expect(texts[1]).toContain('3');
    expect(texts[2]).toContain('rate limit "ev_get-sum" reached');
  });

  it('a counter shared with another rule must agree: the gateway’s 400 shows in the form, the file stays', async () => {
    const panel = await openEditors('ev', 'get-sum');
    const limit = panel.getByRole('group', { name: 'New limit' });
    // Naming a counter the policy uses takes its window, max and scope…
    await limit.getByLabel('Counter').fill('images');
    expect(await limit.getByLabel('Max calls').inputValue()).toBe('100');
    // …and a different max is refused by the gateway, with the rule's path.
    await limit.getByLabel('Max calls').fill('5');
    const before = onDisk();
    await limit.getByRole('button', { name: 'Add limit' }).click();
    const error = limit.getByRole('alert');
    await expect.poll(() => error.innerText()).toMatch(/limits\[1\].*counter "images".*must agree/s);
    expect(onDisk()).toBe(before);
    await showRow('ev', 'get-sum');
    await shot(page, 'tools-rules-limits');
  });

  it('removing the only limit of a rule without action keeps it allowing ("action": "allow"); Undo restores', async () => {
    const panel = await openEditors('ev', 'get-tiny-image');
    const before = onDisk();
    await panel.getByRole('group', { name: 'Limit 1' }).getByRole('button', { name: 'Remove' }).click();
    await saved('Saved: ev/get-tiny-image: limit 1 removed.');
    const tools = expected.servers.ev!.tools;
    expect(onDisk()).toBe(
      textOfPolicy({
        ...expected,
        servers: {
          ...expected.servers,
          ev: { tools: { ...tools, 'get-tiny-image': { 'x-why': 'kept', action: 'allow' } } },
        },
      }),
    );
    await panel.getByText('No rate limit.').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await saved('Undone: ev/get-tiny-image: limit 1 removed.');
    expect(onDisk()).toBe(before);
  });

  it('a pattern on ev/echo’s message, tried live before saving, then met by the agent', async () => {
    const panel = await openEditors('ev', 'echo');
    const rule = panel.getByRole('group', { name: 'New argument rule' });
    await rule.getByLabel('Argument name').fill('message');
    await rule.getByLabel('Pattern (RE2, whole value)').fill('(');
    await rule.getByLabel('Try a value').fill('hello');
    await expect.poll(() => verdict(rule).innerText()).toMatch(/^the rule cannot be used: /);
    await rule.getByLabel('Pattern (RE2, whole value)').fill('[a-z ]+');
    await expect.poll(() => verdict(rule).innerText()).toBe('Passes');
    await rule.getByLabel('Try a value').fill('Hello!');
    await expect.poll(() => verdict(rule).innerText()).toMatch(/^Fails: argument "message" /);
    expect(onDisk()).toBe(textOfPolicy(expected));
    await showRow('ev', 'echo');
    await shot(page, 'tools-rules-arg-test');
    await rule.getByRole('button', { name: 'Add rule' }).click();
    await saved('Saved: ev/echo: argument "message" saved.');
    expected.servers.ev!.tools.echo = { action: 'allow', args: { message: { pattern: '[a-z ]+' } } };
    expect(onDisk()).toBe(textOfPolicy(expected));
    expect(textOf(await callTool(dash.client, 'ev__echo', { message: 'hello there' }))).toContain(
      'hello there',
    );
    expect(textOf(await callTool(dash.client, 'ev__echo', { message: 'rm -rf /' }))).toMatch(
      /argument "message" /,
    );
  });

  it('a path rule on fs/read_text_file: only files within the folder are read', async () => {
    const panel = await openEditors('fs', 'read_text_file');
    const rule = panel.getByRole('group', { name: 'New argument rule' });
    await rule.getByLabel('Argument name').fill('path');
    await rule.getByLabel('Path within (one folder per line)').fill(path.join(files, 'open'));
    await rule.getByLabel('Try a value').fill(path.join(files, 'open', 'a.txt'));
    await expect.poll(() => verdict(rule).innerText()).toBe('Passes');
    await rule.getByLabel('Try a value').fill(path.join(files, 'open', '..', 'secret.txt'));
    await expect.poll(() => verdict(rule).innerText()).toMatch(/^Fails: argument "path" /);
    await rule.getByRole('button', { name: 'Add rule' }).click();
    await saved('Saved: fs/read_text_file: argument "path" saved.');
    expected.servers.fs = {
      tools: {
        read_text_file: { action: 'allow', args: { path: { path: { within: [path.join(files, 'open')] } } } },
      },
    };
    expect(onDisk()).toBe(textOfPolicy(expected));
    const read = (p: string) => callTool(dash.client, 'fs__read_text_file', { path: p }).then(textOf);
    expect(await read(path.join(files, 'open', 'a.txt'))).toContain('open text');
    expect(await read(path.join(files, 'secret.txt'))).toMatch(/argument "path" /);
    expect(await read(path.join(files, 'open', '..', 'secret.txt'))).toMatch(/argument "path" /);
  });

  it('Deny on ev/echo for the ci client only: ci’s call is denied, the laptop’s passes; Undo restores', async () => {
    const panel = await openEditors('ev', 'echo');
    const before = onDisk();
    await panel
      .getByRole('radiogroup', { name: 'Action for echo from ci', exact: true })
      .getByRole('radio', { name: 'Deny', exact: true })
      .click();
    await saved('Saved: ev/echo for ci → Deny.');
    expect(onDisk()).toBe(
      textOfPolicy({
        ...expected,
        grants: { ci: { servers: { ev: { tools: { echo: { action: 'deny' } } } } } },
      }),
    );
    await panel.getByRole('list', { name: 'Client rules that match echo' }).getByText('Deny').waitFor();
    expect(textOf(await callTool(ci, 'ev__echo', { message: 'hello' }))).toMatch(
      /^Gatehouse denied ev__echo/,
    );
    expect(textOf(await callTool(dash.client, 'ev__echo', { message: 'hello' }))).toContain('hello');

    await shot(page, 'tools-rules-overrides');
    await showRow('ev', 'echo');
    await shot(page, 'tools-rules');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'tools-rules-dark');
    await page.setViewportSize({ width: 800, height: 800 });
    await showRow('ev', 'echo');
    await shot(page, 'tools-rules-800-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'tools-rules-800');
    const overflow = await page.locator('.rule-editor-row').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Undo' }).click();
    await saved('Undone: ev/echo for ci → Deny.');
    expect(onDisk()).toBe(before);
    expect(textOf(await callTool(ci, 'ev__echo', { message: 'hello' }))).toContain('hello');
    // The refused writes above (a 400 by design) are the browser's only complaints.
    expect(dash.errors.filter((e) => !e.includes('status of 400 (Bad Request)'))).toEqual([]);
  });
});
