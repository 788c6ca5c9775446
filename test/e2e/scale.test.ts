// A correctness guard against pathological rendering, not a benchmark: with 50 servers, 2,000 tools and 2,000+ call
// records (agents calling), each view of the dashboard shows its content within a generous bound (10 s: rendering
// that grows with the square of the rows takes far longer, while a loaded 2-core CI machine may take 3–5 s for
// 2,000 rows — measured figures are printed; speed goals belong in `npm run bench`), and searching the calls and
// scrolling the long lists work. A failure names the measured time. It also takes
// every view's screenshots, light and dark, at 1280×800 and 800 px wide.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromium, type Browser } from 'playwright-core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createClient } from '../../shared/api/client.js';
import { seedLongLog } from '../helpers/dashboard-fixtures.mjs';
import {
  connectClient,
  makeHome,
  startServe,
  type ServeProcess,
  type TestHome,
} from '../helpers/gateway-fixture.js';
import {
  CHROMIUM,
  assertBuilt,
  callTool,
  loginUrlOf,
  openPage,
  rowOf,
  shotsEveryWay,
  stopServe,
  waitForTool,
} from './browser.js';

const SERVERS = 50;
const TOOLS_EACH = 40;
const SEEDED_CALLS = 2_500;
const BOUND_MS = 10_000;
const TOOLS_SERVER = path.join(import.meta.dirname, 'fixtures', 'tools-server.mjs');
const names = Array.from({ length: SERVERS }, (_, i) => `s${String(i).padStart(2, '0')}`);
const LAST = names.at(-1) as string;

describe(`the dashboard with ${SERVERS} servers, ${SERVERS * TOOLS_EACH} tools and ${SEEDED_CALLS}+ calls`, () => {
  let home: TestHome;
  let serve: ServeProcess;
  let browser: Browser;
  let client: Client;
  let page: Page;
  const errors: string[] = [];
  const timings: string[] = [];
  let pending: Promise<unknown>;

  /** Waits for `content` after `open`, and fails when it took longer than the bound, saying how long it took. */
  async function within(what: string, open: () => Promise<unknown>, content: () => Locator) {
    const start = performance.now();
    await open();
    await content().waitFor({ timeout: 30_000 });
    const took = Math.round(performance.now() - start);
    timings.push(`${what}: ${took} ms`);
    expect(took, `${what} took ${took} ms, over the ${BOUND_MS} ms bound`).toBeLessThan(BOUND_MS);
  }
  const nav = (label: RegExp) => () =>
    page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: label }).click();

  beforeAll(async () => {
    const server = {
      command: process.execPath,
      args: [TOOLS_SERVER],
      env: { TOOL_COUNT: String(TOOLS_EACH) },
    };
    home = makeHome({
      servers: Object.fromEntries(names.map((name) => [name, server])),
      policy: {
        version: '1',
        default: 'allow',
        servers: { s00: { tools: { 'op-0000': { action: 'approve' } } } },
      },
      grants: ['agent'],
    });
    seedLongLog(home.home, SEEDED_CALLS, 'agent');
    assertBuilt();
    const started = performance.now();
    [serve, browser] = await Promise.all([startServe(home.home), chromium.launch(CHROMIUM)]);
    // Every server ready first: what is measured below is the dashboard, not 50 upstreams starting.
    const admin = createClient({ baseUrl: serve.runtime.controlUrl, token: serve.runtime.adminToken });
    const ready = async () =>
      (await admin.listServers({})).servers.filter((s) => s.status?.state === 'ready').length;
    for (let count = await ready(); count < SERVERS; count = await ready()) {
      if (performance.now() - started > 60_000)
        throw new Error(`only ${count} of ${SERVERS} servers ready in 60 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    timings.push(`(${SERVERS} servers ready: ${Math.round(performance.now() - started)} ms after the start)`);
    client = await connectClient(serve.runtime.mcpUrl, home.tokens.agent as string);
    await waitForTool(client, `${LAST}__op-${String(TOOLS_EACH - 1).padStart(4, '0')}`);
    // Forty calls that pass (s00's op-0000 waits for a person: it is the one below).
    for (let i = 1; i <= 40; i++) {
      await callTool(client, `${names[i % SERVERS]}__op-${String(i % TOOLS_EACH).padStart(4, '0')}`, {
        n: i,
      });
    }
    // One call that waits for a person, so Approvals has a card.
    pending = callTool(client, 's00__op-0000', {}).catch(() => undefined);

    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
    });
    page = await openPage(context, errors);
    await within(
      'Sign-in to Live calls',
      () => page.goto(loginUrlOf(serve.readyLine)),
      () => page.getByRole('heading', { name: 'Live calls' }),
    );
  }, 120_000);

  afterAll(async () => {
    console.log(`Per-view times (bound ${BOUND_MS} ms):\n  ${timings.join('\n  ')}`);
    await client?.close().catch(() => undefined); // ends the waiting call too
    await pending;
    await browser?.close();
    await stopServe(serve);
    home?.cleanup();
  });

  it('Live calls: shows the newest calls, searches them, and loads older ones on scroll', async () => {
    const grid = () => page.getByRole('grid', { name: 'Calls, newest first' });
    await within(
      'Live calls',
      () => page.reload(),
      () => grid().getByRole('row').filter({ hasText: 's39' }).filter({ hasText: 'op-0039' }),
    );
    await shotsEveryWay(page, 'scale-calls');
    const status = page.locator('.calls-view .view-head [role=status]');
    const shown = async () =>
      Number(/([\d,]+) calls? shown/.exec(await status.innerText())?.[1]?.replace(/,/g, ''));
    const before = await shown();
    await grid().hover();
    for (let i = 0; i < 5 && (await shown()) === before; i++) {
      await page.mouse.wheel(0, 200_000);
      await page.waitForTimeout(300);
    }
    await expect.poll(shown, { timeout: 10_000 }).toBeGreaterThan(before);

    await within(
      'Live calls, searched',
      () => page.getByLabel('Search', { exact: true }).fill('op-0007'),
      () => grid().getByRole('row').filter({ hasText: 'op-0007' }).first(),
    );
    await expect.poll(() => grid().getByRole('row').filter({ hasText: 'op-0009' }).count()).toBe(0);
    await page.getByLabel('Search', { exact: true }).fill('');
  });

  it('Approvals: shows the waiting call', async () => {
    await within('Approvals', nav(/^Approvals/), () =>
      page.getByRole('button', { name: 'Approve once' }).first(),
    );
    await shotsEveryWay(page, 'scale-approvals');
  });

  it(`Tools: lists all ${SERVERS * TOOLS_EACH} tools, and the last one can be scrolled to`, async () => {
    const last = () =>
      page.getByRole('region', { name: LAST }).getByRole('rowheader', { name: 'op-0039', exact: true });
    await within('Tools', nav(/^Tools$/), () =>
      page.getByRole('region', { name: 's00' }).getByRole('row').nth(TOOLS_EACH),
    );
    await expect
      .poll(() => page.locator('.tools-view [role=status]').first().innerText())
      .toBe(`${SERVERS * TOOLS_EACH} tools`);
    await shotsEveryWay(page, 'scale-tools');
    await within('Tools, scrolled to the last tool', () => last().scrollIntoViewIfNeeded(), last);
    const box = await last().boundingBox();
    expect(box && box.y >= 0 && box.y < 800, `the last tool is at ${JSON.stringify(box)}`).toBe(true);
  });

  it(`Servers: shows all ${SERVERS} servers ready`, async () => {
    await within('Servers', nav(/^Servers$/), () => rowOf(page, LAST));
    await expect
      .poll(() => page.locator('.servers-table tbody tr[data-state=ready]').count(), { timeout: 20_000 })
      .toBe(SERVERS);
    await shotsEveryWay(page, 'scale-servers');
    await within(
      'Servers, scrolled to the last',
      () => rowOf(page, LAST).scrollIntoViewIfNeeded(),
      () => rowOf(page, LAST),
    );
  });

  it('Clients, Policy, Settings: each shows its content', async () => {
    await within('Clients', nav(/^Clients$/), () => rowOf(page, 'agent'));
    await shotsEveryWay(page, 'scale-clients');
    await within('Policy', nav(/^Policy$/), () => page.getByLabel('policy.json'));
    await shotsEveryWay(page, 'scale-policy');
    await within('Settings', nav(/^Settings$/), () =>
      page.getByRole('checkbox', { name: LAST, exact: true }),
    );
    await shotsEveryWay(page, 'scale-settings');
    expect(errors).toEqual([]);
  });
});
