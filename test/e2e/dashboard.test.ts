// The dashboard in Chromium against a real `gatehouse serve` (server-everything upstream, an SDK client making calls):
// sign-in, live calls with their statuses, filters, details, the pending badge, approvals, a long log, no console
// errors. Needs the build (`npm test` builds first; alone: `node scripts/build-node.mjs && npx vite build`).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startServe,
  type ServeProcess,
  type TestHome,
} from '../helpers/gateway-fixture.js';
import {
  CHROMIUM,
  SCREENSHOTS,
  assertBuilt,
  callTool,
  loginUrlOf,
  openPage,
  shot,
  stopServe,
  textOf,
  waitForTool,
} from './browser.js';
import { seedLongLog } from '../helpers/dashboard-fixtures.mjs';

describe('dashboard in Chromium against gatehouse serve', () => {
  let home: TestHome;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let client: Client;
  const errors: string[] = [];
  const admin = (route: string, init: RequestInit = {}) =>
    fetch(`${serve.runtime.controlUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${serve.runtime.adminToken}`, ...(init.headers ?? {}) },
    });
  const policy = (approvalTimeoutSeconds: number) => ({
    version: '1',
    default: 'allow',
    approvalTimeoutSeconds,
    tools: {
      'get-env': { action: 'deny', reason: 'environment variables stay on this machine' },
      'get-sum': { limits: [{ counter: 'sums', window: 'minute', max: 1 }] },
      echo: { action: 'approve', reason: 'echo asks a person first' },
    },
  });

  beforeAll(async () => {
    assertBuilt();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    home = makeHome({ servers: { ev: everythingStdio() }, policy: policy(20), grants: ['laptop'] });
    [serve, browser] = await Promise.all([startServe(home.home), chromium.launch(CHROMIUM)]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page = await openPage(context, errors);
    client = await connectClient(serve.runtime.mcpUrl, home.tokens.laptop as string);
    await waitForTool(client, 'ev__get-sum');
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await browser?.close();
    await stopServe(serve);
    home?.cleanup();
  });

  it('without the login fragment, says how to get in', async () => {
    await page.goto(serve.runtime.dashboardUrl);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Gatehouse dashboard' }).isVisible())
      .toBe(true);
    expect(await page.getByText('gatehouse dashboard', { exact: true }).count()).toBeGreaterThan(0);
    await shot(page, 'login');
  });

  it('a used or unknown login code says so and still shows how to get in', async () => {
    // Its own page: Chromium logs the expected 401 of POST /api/login as a console error.
    const own: string[] = [];
    const bad = await openPage(context, own);
    await bad.goto(`${serve.runtime.dashboardUrl}#login=not-a-real-code`);
    await bad.getByRole('alert').waitFor();
    expect(await bad.getByRole('alert').innerText()).toContain(
      'Sign-in failed: this login code is unknown, used or expired',
    );
    expect(bad.url()).not.toContain('#login');
    await shot(bad, 'login-failed');
    await bad.close();
    expect(own).toEqual([expect.stringMatching(/status of 401 .*\/api\/login\)$/)]);
  });

  it('a session the gateway no longer knows (401) goes back to the sign-in page', async () => {
    const own: string[] = [];
    // Its own browser context: tabs of one context share the sign-in (localStorage).
    const stale = await openPage(await browser.newContext(), own);
    await stale.addInitScript("localStorage.setItem('gatehouse.dashboardToken', 'stale-token')");
    await stale.goto(serve.runtime.dashboardUrl);
    await stale.getByRole('heading', { name: 'Gatehouse dashboard' }).waitFor();
    expect(await stale.getByRole('alert').innerText()).toContain('Your dashboard session has ended');
    expect(await stale.evaluate<string[]>('Object.keys(localStorage)')).not.toContain(
      'gatehouse.dashboardToken',
    );
    await stale.context().close();
    // Only the refused requests themselves, which Chromium always logs.
    expect(own.every((line) => /status of 401 .*\/api\//.test(line))).toBe(true);
  });

  it('the login URL opens the dashboard and removes the code from the address bar', async () => {
    await page.goto(loginUrlOf(serve.readyLine));
    await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
    expect(page.url()).not.toContain('login=');
    expect(await page.evaluate<string[]>('Object.keys(localStorage)')).toContain('gatehouse.dashboardToken');
    await page.getByRole('heading', { name: 'No calls yet' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await shot(page, 'calls-empty');
    // A reload keeps the session (localStorage), without a new code.
    await page.reload();
    await page.getByRole('heading', { name: 'No calls yet' }).waitFor();
  });

  it('shows calls live: allowed, rate-limited and denied by a rule, with details', async () => {
    const ok = await callTool(client, 'ev__get-sum', { a: 2, b: 3 });
    expect(ok.isError).toBeFalsy();
    const limited = await callTool(client, 'ev__get-sum', { a: 1, b: 1 });
    expect(limited.isError).toBe(true);
    const denied = await callTool(client, 'ev__get-env', {});
    expect(textOf(denied)).toContain('environment variables stay on this machine');

    const grid = page.getByRole('grid', { name: 'Calls, newest first' });
    await expect.poll(() => grid.getByRole('row').count()).toBe(4);
    const words = await grid.locator('.calls-body [role=row] .badge').allInnerTexts();
    expect(words).toEqual(['denied', 'rate-limited', 'allowed']);
    const first = grid.locator('.calls-body [role=row]').first();
    expect(await first.innerText()).toContain('laptop');
    expect(await first.innerText()).toContain('get-env');

    await first.click();
    const details = page.getByRole('complementary');
    await details.waitFor();
    const detailsText = await details.innerText();
    expect(detailsText).toContain('environment variables stay on this machine');
    expect(detailsText).toContain('get-env');
    expect(detailsText).toMatch(/Policy version\s+[0-9a-f]{12}/);
    // The allowed call's details show the upstream's answer (get-sum of 2 and 3).
    await grid.locator('.calls-body [role=row]').nth(2).click();
    await expect.poll(async () => details.innerText()).toMatch(/Result: .*5/);
    await first.click();
    await shot(page, 'calls');

    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'calls-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('moves the selection with the keyboard and filters by status and text', async () => {
    const grid = page.getByRole('grid', { name: 'Calls, newest first' });
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    const active = await grid.getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).innerText()).toContain('rate-limited');

    await page.getByLabel('Status').selectOption('rate_limited');
    await expect.poll(() => grid.locator('.calls-body [role=row]').count()).toBe(1);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Search').fill('stay on this');
    await expect
      .poll(() => grid.locator('.calls-body [role=row] .badge').allInnerTexts())
      .toEqual(['denied']);
    await page.getByLabel('Search').fill('no such text anywhere');
    await page.getByRole('heading', { name: 'No call matches these filters' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => grid.locator('.calls-body [role=row]').count()).toBe(3);
  });

  it('shows the pending badge and an approvals page that explains approvals when none wait', async () => {
    const badge = page.getByTestId('pending-badge');
    expect(await badge.innerText()).toBe('0');
    expect(await badge.getAttribute('aria-label')).toBe('0 pending');
    await page.getByRole('link', { name: /Approvals/ }).click();
    await page.getByRole('heading', { name: 'Nothing waiting for you' }).waitFor();
    await shot(page, 'approvals-empty');
    await page.getByRole('link', { name: /Live calls/ }).click();
  });

  describe('approvals', () => {
    const pendingApprovals = async () => {
      const res = await admin('/approvals');
      expect(res.status).toBe(200);
      return ((await res.json()) as { approvals: unknown[] }).approvals.length;
    };

    it('a pending approval shows in the badge and a card; "Approve once" gives the client the upstream result', async () => {
      const firstCall = callTool(client, 'ev__echo', { message: 'hello\u202Etxt.exe\u200B' });
      firstCall.catch(() => undefined);
      await expect
        .poll(pendingApprovals, {
          timeout: 3000,
          message: 'GET /api/approvals lists the call to ev__echo, an "approve" tool, as pending',
        })
        .toBe(1);
      const badge = page.getByTestId('pending-badge');
      await expect.poll(() => badge.innerText()).toBe('1');
      await page.getByRole('link', { name: /Approvals/ }).click();
      const card = page.getByRole('article');
      await card.waitFor();
      const text = await card.innerText();
      expect(text).toContain('laptop');
      expect(text).toContain('echo');
      expect(text).toContain('⟦U+202E⟧');
      expect(text).toContain('⟦U+200B⟧');
      expect(text).toMatch(/The client waits \d+ s more/);
      await shot(page, 'approvals');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'approvals-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await card.getByRole('button', { name: 'Approve once' }).click();
      const result = await firstCall;
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toContain('hello\u202Etxt.exe\u200B');
      await page.getByRole('heading', { name: 'Nothing waiting for you' }).waitFor();
      await expect.poll(() => badge.innerText()).toBe('0');
    });

    it('"Deny" gives the client the denial', async () => {
      const pending = callTool(client, 'ev__echo', { message: 'deny me' });
      const card = page.getByRole('article');
      await card.waitFor();
      await card.getByRole('button', { name: 'Deny' }).click();
      const result = await pending;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe('Gatehouse denied ev__echo: rejected by the user in the dashboard');
    });

    it('shortcuts act only while the card has focus: D denies', async () => {
      const pending = callTool(client, 'ev__echo', { message: 'keyboard' });
      const card = page.getByRole('article');
      await card.waitFor();
      await page.getByRole('link', { name: /Approvals/ }).focus();
      await page.keyboard.press('a');
      await new Promise((r) => setTimeout(r, 300));
      expect(await card.count()).toBe(1);
      await card.focus();
      await page.keyboard.press('d');
      const result = await pending;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('rejected');
    });

    it('when the countdown runs out the call times out and the card goes away', async () => {
      const put = await admin('/policy', { method: 'PUT', body: JSON.stringify(policy(2), null, 2) });
      expect(put.status).toBe(200);
      const pending = callTool(client, 'ev__echo', { message: 'too late' });
      const card = page.getByRole('article');
      await card.waitFor();
      const result = await pending;
      expect(textOf(result)).toContain('timed out');
      await page.getByRole('heading', { name: 'Nothing waiting for you' }).waitFor();
      await page.getByRole('link', { name: /Live calls/ }).click();
      const grid = page.getByRole('grid', { name: 'Calls, newest first' });
      await expect
        .poll(() => grid.locator('.calls-body [role=row] .badge').first().innerText())
        .toBe('timed out');
      await shot(page, 'calls-after-approvals');
    });
  });

  describe('a call log of 100,000 records', () => {
    const RECORDS = 100_000;
    let bigHome: TestHome;
    let bigServe: ServeProcess;
    let big: Page;

    beforeAll(async () => {
      bigHome = makeHome({ grants: ['laptop'] });
      seedLongLog(bigHome.home, RECORDS, 'laptop');
      bigServe = await startServe(bigHome.home);
      big = await openPage(context, errors);
    });

    afterAll(async () => {
      await big?.close();
      await stopServe(bigServe);
      bigHome?.cleanup();
    });

    it('keeps the DOM small, loads older pages as you scroll, and scrolls without long frames', async () => {
      await big.goto(loginUrlOf(bigServe.readyLine));
      const grid = big.getByRole('grid', { name: 'Calls, newest first' });
      await grid.waitFor();
      const status = big.getByText(/calls shown/);
      await expect.poll(() => status.innerText()).toContain('200 calls shown');
      const domRows = () => grid.locator('.calls-body [role=row]').count();
      expect(await domRows()).toBeLessThan(60);
      expect(await grid.locator('.calls-body [role=row]').first().innerText()).toContain(
        `{"a":${RECORDS - 1},"b":1}`,
      );

      // End selects the last loaded call; near the end the next page (1,000) is fetched.
      await grid.focus();
      for (let loaded = 1200; loaded <= 3200; loaded += 1000) {
        await big.keyboard.press('End');
        await expect
          .poll(() => status.innerText())
          .toContain(`${loaded.toLocaleString('en-US')} calls shown`);
      }
      expect(await domRows()).toBeLessThan(60);

      // Scroll through the loaded calls one screen per frame and time the frames.
      // (Runs in the page; written as a string because the Node test's types have no DOM.)
      const frames = await big.evaluate<{ median: number; p95: number }>(`(async () => {
        const scroller = document.querySelector('.calls-scroll');
        scroller.scrollTop = 0;
        const times = [];
        let last = performance.now();
        for (let i = 0; i < 120; i++) {
          scroller.scrollTop += 900;
          await new Promise((r) => requestAnimationFrame(r));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        times.sort((a, b) => a - b);
        return { median: times[60], p95: times[114] };
      })()`);
      console.info(
        `[dashboard e2e] scrolling 3,200 loaded of ${RECORDS} calls: frame median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms`,
      );
      // Lenient: a shared 2-core machine running other suites stretches frames; a DOM of every row would take seconds.
      expect(frames.median).toBeLessThan(100);
      expect(await domRows()).toBeLessThan(60);
      await shot(big, 'calls-long-log');
    });
  });

  it('produced no console errors', () => {
    expect(errors).toEqual([]);
  });
});
