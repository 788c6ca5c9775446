// Editing the policy from the Tools view in Chromium against gatehouse serve: Allow / Ask / Deny per tool and a
// default per server, each an exact edit of policy.json that the next call meets; Undo puts the file back byte for
// byte; a file changed on disk meanwhile is never overwritten.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  type ServeProcess,
  type TestHome,
} from '../helpers/gateway-fixture.js';
import { callTool, openDashboard, shot, textOf, waitForTool, type OpenDashboard } from './browser.js';

const CONFLICT = 'policy.json changed since you opened it — reloaded; make your change again';
const SUM_LIMITS = [{ counter: 'sums', window: 'minute', max: 100 }];

const policy = (sumRule: Record<string, unknown>) => ({
  version: '1',
  default: 'allow',
  'x-note': 'kept as it is',
  tools: { 'get-env': { action: 'deny', reason: 'environment variables stay on this machine' } },
  servers: { ev: { tools: { 'get-sum': sumRule } } },
});
const MANY = 2000;
const require = createRequire(import.meta.url);

/** A stdio MCP server with 2,000 tools, written into the test's home. */
function manyToolsServer(dir: string) {
  const sdk = (p: string) => JSON.stringify(require.resolve(`@modelcontextprotocol/sdk/${p}`));
  const file = path.join(dir, 'many-tools.cjs');
  fs.writeFileSync(
    file,
    `const { Server } = require(${sdk('server/index.js')});
const { StdioServerTransport } = require(${sdk('server/stdio.js')});
const { ListToolsRequestSchema, CallToolRequestSchema } = require(${sdk('types.js')});
const tools = Array.from({ length: ${MANY} }, (_, i) => ({
  name: 'tool-' + String(i).padStart(4, '0'),
  description: 'one of many',
  inputSchema: { type: 'object' },
}));
const server = new Server({ name: 'many', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: 'ok' }] }));
server.connect(new StdioServerTransport());
`,
  );
  return { command: process.execPath, args: [file] };
}

const textOfPolicy = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const ORIGINAL = textOfPolicy(policy({ limits: SUM_LIMITS, reason: 'sums are counted' }));

describe('Editing the policy from the Tools view', () => {
  let home: TestHome;
  let dash: OpenDashboard;
  let serve: ServeProcess;
  let page: Page;
  let client: Client;
  let file: string;
  let errors: string[];

  const admin = (route: string, init: RequestInit = {}) =>
    fetch(`${serve.runtime.controlUrl}${route}`, {
      ...init,
      headers: {
        authorization: `Bearer ${serve.runtime.adminToken}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
  const group = () => page.getByRole('region', { name: 'ev' });
  const row = (tool: string) =>
    group()
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: tool, exact: true }) });
  const choose = (tool: string, word: 'Allow' | 'Ask' | 'Deny') =>
    group()
      .getByRole('radiogroup', { name: `Action for ${tool}`, exact: true })
      .getByRole('radio', { name: word, exact: true })
      .click();
  const saved = (text: string) => page.locator('.policy-edit-bar').filter({ hasText: text }).waitFor();

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, grants: ['laptop'] });
    home.write('servers.json', { mcpServers: { ev: everythingStdio(), many: manyToolsServer(home.home) } });
    file = path.join(home.home, 'policy.json');
    fs.writeFileSync(file, ORIGINAL, { mode: 0o600 });
    dash = await openDashboard(home.home);
    ({ serve, page, errors } = dash);
    client = await connectClient(serve.runtime.mcpUrl, home.tokens.laptop as string);
    await waitForTool(client, 'ev__get-sum');
    await waitForTool(client, `many__tool-${MANY - 1}`);
    await page.getByRole('link', { name: 'Tools' }).click();
    await row('get-sum').waitFor();
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await dash?.close();
    home?.cleanup();
  });

  it('Deny on ev/get-sum: only the action is added to its rule, and the next call is denied', async () => {
    await expect.poll(() => row('get-sum').innerText()).toMatch(/Allow\s+servers\.ev\.tools\["get-sum"\]/);
    await choose('get-sum', 'Deny');
    await saved('Saved: ev/get-sum → Deny.');
    expect(fs.readFileSync(file, 'utf8')).toBe(
      textOfPolicy(policy({ limits: SUM_LIMITS, reason: 'sums are counted', action: 'deny' })),
    );
    await expect.poll(() => row('get-sum').innerText()).toMatch(/Deny\s+servers\.ev\.tools\["get-sum"\]/);
    expect(
      await group()
        .getByRole('radiogroup', { name: 'Action for get-sum' })
        .getByRole('radio', { name: 'Deny' })
        .isChecked(),
    ).toBe(true);
    const result = await callTool(client, 'ev__get-sum', { a: 1, b: 2 });
    expect(textOf(result)).toMatch(/^Gatehouse denied ev__get-sum/);
    await shot(page, 'tools-edit');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'tools-edit-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('Undo puts policy.json back byte for byte, and the tool is allowed again', async () => {
    await page.getByRole('button', { name: 'Undo' }).click();
    await saved('Undone: ev/get-sum → Deny.');
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
    await expect.poll(() => row('get-sum').innerText()).toMatch(/Allow\s+servers\.ev\.tools\["get-sum"\]/);
    const result = await callTool(client, 'ev__get-sum', { a: 1, b: 2 });
    expect(textOf(result)).toContain('3');
  });

  it('Ask on ev/echo: a new rule, and the next call waits for a person', async () => {
    await choose('echo', 'Ask');
    await saved('Saved: ev/echo → Ask.');
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as ReturnType<typeof policy>;
    expect(written.servers.ev.tools).toEqual({
      'get-sum': { limits: SUM_LIMITS, reason: 'sums are counted' },
      echo: { action: 'approve' },
    });
    const call = callTool(client, 'ev__echo', { message: 'hello' });
    call.catch(() => undefined);
    let pending: { id: string; exposedName: string }[] = [];
    await expect
      .poll(
        async () => {
          pending = ((await (await admin('/approvals')).json()) as { approvals: typeof pending }).approvals;
          return pending.map((a) => a.exposedName);
        },
        { timeout: 5000, message: 'GET /api/approvals lists the call to ev__echo' },
      )
      .toEqual(['ev__echo']);
    const answer = await admin(`/approvals/${pending[0]!.id}`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'deny' }),
    });
    expect(answer.status).toBe(200);
    expect(textOf(await call)).toMatch(/^Gatehouse denied ev__echo/);
  });

  it('says when a deny elsewhere wins over the tool’s own rule', async () => {
    const note = row('get-env').locator('.deny-note');
    await expect.poll(() => note.innerText()).toContain('tools["get-env"] denies it');
    expect(await row('echo').locator('.deny-note').count()).toBe(0);
  });

  it('sets a server default and follows the policy default again', async () => {
    const defaults = page.getByRole('radiogroup', { name: 'Default for ev', exact: true });
    await defaults.getByRole('radio', { name: 'Deny', exact: true }).click();
    await saved('Saved: default of ev → Deny.');
    expect(
      (JSON.parse(fs.readFileSync(file, 'utf8')) as { servers: { ev: { default?: string } } }).servers.ev
        .default,
    ).toBe('deny');
    await expect.poll(() => row('get-tiny-image').innerText()).toMatch(/Deny\s+servers\.ev\.default/);
    await defaults.getByRole('radio', { name: 'Follow the policy default', exact: true }).click();
    await saved('Saved: default of ev → the policy default.');
    expect(
      (JSON.parse(fs.readFileSync(file, 'utf8')) as { servers: { ev: { default?: string } } }).servers.ev
        .default,
    ).toBeUndefined();
    await expect.poll(() => row('get-tiny-image').innerText()).toMatch(/Allow\s+default/);
  });

  it('a file changed on disk since it was read is never overwritten: the view says so and reads it again', async () => {
    const onDisk = fs.readFileSync(file, 'utf8').replace('"kept as it is"', '"edited by hand"');
    fs.writeFileSync(file, onDisk);
    await choose('get-sum', 'Ask');
    await page.getByRole('alert').filter({ hasText: CONFLICT }).waitFor();
    expect(fs.readFileSync(file, 'utf8')).toBe(onDisk);
    expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    await shot(page, 'tools-edit-conflict');

    // Read again: the same change now goes through.
    await choose('get-sum', 'Ask');
    await saved('Saved: ev/get-sum → Ask.');
    expect(fs.readFileSync(file, 'utf8')).toContain('"edited by hand"');
    await expect.poll(() => row('get-sum').innerText()).toMatch(/Ask\s+servers\.ev\.tools\["get-sum"\]/);
  });

  it('Undo after the file changed on disk is refused the same way', async () => {
    const onDisk = fs.readFileSync(file, 'utf8').replace('"edited by hand"', '"edited again"');
    fs.writeFileSync(file, onDisk);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('alert').filter({ hasText: CONFLICT }).waitFor();
    expect(fs.readFileSync(file, 'utf8')).toBe(onDisk);
  });

  it(`stays quick with ${MANY + 16} tools: one policy read per edit, no request per row`, async () => {
    const many = page.getByRole('region', { name: 'many' });
    const last = many.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'tool-1999' }) });
    await expect.poll(() => last.innerText()).toMatch(/^tool-1999\s+“one of many”\s+Allow/);
    const requests: string[] = [];
    let started = 0;
    const record = (r: { method: () => string; url: () => string }) =>
      requests.push(`${r.method()} ${new URL(r.url()).pathname} at ${Date.now() - started} ms`);
    page.on('request', record);
    const radio = last.getByRole('radio', { name: 'Deny', exact: true });
    await radio.scrollIntoViewIfNeeded();
    started = Date.now();
    await radio.click();
    await expect.poll(() => last.innerText()).toMatch(/^tool-1999\s+“one of many”\s+Deny/);
    const took = Date.now() - started;
    page.off('request', record);
    console.log(`an edit among ${MANY + 16} tools showed in ${took} ms; requests: ${requests.join(', ')}`);
    expect(requests.filter((r) => r.startsWith('GET /api/policy '))).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('PATCH /api/policy '))).toHaveLength(1);
    expect(requests.length).toBeLessThan(6);
    // A guard against work that grows with the rows (an edit re-rendering all 2,016): measured 1–3 s on a loaded
    // 2-core machine, far more if every row rendered again. Speed goals belong in `npm run bench`.
    expect(took).toBeLessThan(10_000);
  });

  it(`opens one tool’s rule editors among ${MANY + 16} tools: only that row renders them`, async () => {
    const button = page
      .getByRole('region', { name: 'many' })
      .getByRole('button', { name: 'Edit rule of tool-1999', exact: true });
    await button.scrollIntoViewIfNeeded();
    const started = Date.now();
    await button.click();
    await page.getByRole('region', { name: 'Rule of tool-1999', exact: true }).waitFor();
    const took = Date.now() - started;
    console.log(`the rule editors of one tool among ${MANY + 16} opened in ${took} ms`);
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('.rule-editor-row').count()).toBe(1);
    expect(took).toBeLessThan(5000); // a guard, as above: only one row's editors render
    await button.click();
    expect(await page.locator('.rule-editor-row').count()).toBe(0);
  });

  it(`finds tools by what is typed among ${MANY + 16}: name, server, description, action`, async () => {
    const search = page.getByRole('searchbox', { name: 'Search tools' });
    await search.fill('tool-1999');
    await page
      .getByRole('status')
      .filter({ hasText: `1 of ${MANY + 16} tools` })
      .waitFor();
    expect(await page.getByRole('rowheader').count()).toBe(1);
    await page.getByRole('rowheader', { name: 'tool-1999' }).waitFor();
    await search.fill('ev echoes');
    await expect
      .poll(() => page.getByRole('rowheader').allInnerTexts())
      .toEqual(['echo\n“Echoes back the input string”']);
    await search.fill('no such tool');
    await page.getByText('No tool matches “no such tool”.').waitFor();
    await search.fill('');
    await page
      .getByRole('status')
      .filter({ hasText: new RegExp(`^${MANY + 16} tools$`) })
      .waitFor();
  });

  it('reads well at 800 px wide, light and dark', async () => {
    await page.setViewportSize({ width: 800, height: 800 });
    // Scrolled far down, the edit bar with Undo stays in view.
    await shot(page, 'tools-edit-800-scrolled');
    await page.locator('.tools-view').evaluate((view) => view.scrollTo(0, 0));
    await shot(page, 'tools-edit-800');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'tools-edit-800-dark');
    // The refused writes above are the browser's only complaints: 409 is the answer this view is built to expect.
    expect(errors.filter((e) => !e.includes('status of 409 (Conflict)'))).toEqual([]);
  });
});
