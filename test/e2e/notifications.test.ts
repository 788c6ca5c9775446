// Browser notifications of approvals (the headless `gatehouse serve`) and the tray's popup page, in Debian Chromium:
// permission asked only on the person's click, one notification per new approval naming client, tool and the client's
// wait, its click showing the Approvals view; the popup's queue, newest first, answered via the popup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JSHandle } from 'playwright-core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { callTool, openDashboardWithAgent, openPage, shot, textOf } from './browser.js';

type Dash = Awaited<ReturnType<typeof openDashboardWithAgent>>;
interface Recorded {
  requests: number;
  shown: { title: string; body?: string }[];
  last?: EventTarget;
}

/**
 * Stands between the page and the browser's Notification (page source: this test's tsconfig has no DOM): records each
 * one and each permission request, and says the permission was not asked yet until the page asks (the context grants
 * it, so the real request answers granted).
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const notes = { requests: 0, shown: [], last: undefined };
  window.__notes = notes;
  let permission = 'default';
  window.Notification = class extends Real {
    constructor(title, options) {
      super(title, options);
      notes.shown.push({ title, body: options && options.body });
      notes.last = this;
    }
    static get permission() { return permission; }
    static async requestPermission() {
      notes.requests++;
      permission = await Real.requestPermission();
      return permission;
    }
  };
})()`;

describe('approvals reach the person in a browser', () => {
  let home: TestHome;
  let dash: Dash;
  let notes: JSHandle<Recorded>;
  const echo = (message: string) => callTool(dash.client, 'ev__echo', { message }) as Promise<CallToolResult>;

  beforeAll(async () => {
    home = makeHome({
      servers: { ev: everythingStdio() },
      policy: {
        version: '1',
        default: 'allow',
        tools: { echo: { action: 'approve', reason: 'echo asks a person first' } },
      },
      grants: ['agent'],
    });
    dash = await openDashboardWithAgent(home, 'agent', 'ev__echo');
    const origin = new URL(dash.page.url()).origin;
    await dash.page.context().grantPermissions(['notifications'], { origin });
    await dash.page.context().addInitScript(RECORD_NOTIFICATIONS);
    await dash.page.reload();
    await dash.page.getByRole('heading', { name: 'Live calls' }).waitFor();
    // Functions, not strings: the dashboard's CSP allows no eval.
    notes = await dash.page.evaluateHandle(() => (globalThis as unknown as { __notes: Recorded }).__notes);
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('asks for permission only on a click, then notifies of each new approval; its click shows Approvals', async () => {
    const { page } = dash;
    expect(await notes.evaluate((n) => n.requests)).toBe(0);
    await page.getByRole('link', { name: /Approvals/ }).click();
    await page.getByRole('heading', { name: 'Approvals' }).waitFor();
    expect(await notes.evaluate((n) => n.requests)).toBe(0);
    await shot(page, 'approvals-notify-button');
    await page.getByRole('button', { name: 'Notify me of approvals' }).click();
    await page.getByText('Notifications of new approvals are on.').waitFor();
    expect(await notes.evaluate((n) => n.requests)).toBe(1);

    await page.getByRole('link', { name: /Live calls/ }).click();
    const call = echo('notify me');
    await page.waitForFunction((n) => n.shown.length === 1, notes);
    const [note] = await notes.evaluate((n) => n.shown);
    expect(note?.title).toBe('agent wants ev / echo');
    expect(note?.body).toMatch(/^The client waits \d+ s more\. echo asks a person first$/);

    await notes.evaluate((n) => n.last?.dispatchEvent(new Event('click')));
    await page.getByRole('heading', { name: 'Approvals' }).waitFor();
    await page.getByRole('button', { name: 'Approve once' }).click();
    expect(textOf(await call)).toBe('Echo: notify me');
    expect(await notes.evaluate((n) => n.shown.length)).toBe(1);
    expect(dash.errors).toEqual([]);
  });

  it('the popup page shows only the live queue, newest first, and answers via the popup', async () => {
    const popup = await openPage(dash.page.context(), dash.errors);
    await popup.setViewportSize({ width: 420, height: 560 });
    await popup.goto(`${new URL(dash.page.url()).origin}/?view=popup`);
    await popup.getByText('Nothing waiting.').waitFor();
    expect(await popup.getByRole('navigation').count()).toBe(0);

    const first = echo('first');
    await popup.getByRole('article').first().waitFor();
    const second = echo('second, a longer message that the popup shows in full, however narrow its window');
    await expect.poll(() => popup.getByRole('article').count()).toBe(2);
    await expect
      .poll(() => popup.getByRole('article').first().textContent())
      .toContain('second, a longer message');
    // Without focus the cards answer nothing (inert: no click, no key, no focus); focused, a second later they do.
    const asleep = popup.locator('.popup-card[inert]');
    await popup.evaluate(() => (globalThis as unknown as EventTarget).dispatchEvent(new Event('blur')));
    await expect.poll(() => asleep.count()).toBe(2);
    await popup
      .getByText('2 waiting. Click this window to answer: its buttons work a second later.')
      .waitFor();
    await shot(popup, 'popup-queue-asleep');
    const focusedAt = Date.now();
    await popup.evaluate(() => (globalThis as unknown as EventTarget).dispatchEvent(new Event('focus')));
    await popup.getByText('2 waiting.', { exact: true }).waitFor();
    expect(Date.now() - focusedAt).toBeGreaterThanOrEqual(900);
    expect(await asleep.count()).toBe(0);
    await shot(popup, 'popup-queue');
    await popup.emulateMedia({ colorScheme: 'dark' });
    await shot(popup, 'popup-queue-dark');
    await popup.emulateMedia({ colorScheme: 'light' });

    await popup.getByRole('article').first().getByRole('button', { name: 'Deny' }).click();
    expect(textOf(await second)).toContain('rejected by the user in the approval popup');
    await expect.poll(() => popup.getByRole('article').count()).toBe(1);
    await popup.getByRole('article').first().getByRole('button', { name: 'Approve once' }).click();
    expect(textOf(await first)).toBe('Echo: first');
    await popup.getByText('Nothing waiting.').waitFor();
    expect(dash.errors).toEqual([]);
  });
});
