// The app's window in Chromium: the built dashboard served by the gatehouse: protocol handler (with its CSP), the real
// preload (bundled against a renderer-side fake of Electron) giving the page `window.gatehouse`, and the shell's IPC
// adapter answering it — with a real gateway behind. The dashboard shows at once (no sign-in), follows events and
// answers an approval over IPC. Needs the build (`npm test` builds first; alone: `npx vite build`).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BrowserWindowConstructorOptions } from 'electron';
import { Gateway } from '../../../electron/gateway/app/gateway.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { startShell, type ShellUiContext } from '../../../electron/shell/shell-app.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  REPO_ROOT,
  type TestHome,
} from '../../helpers/gateway-fixture.js';
import { CHROMIUM, callTool, openPage, shot, textOf } from '../../e2e/browser.js';
import { FakeContents, FakeWindow, fakeElectron, type FakeIpcMain } from '../../unit/shell/fake-electron.js';

/** Where Chromium reaches gatehouse://app (it cannot be taught the scheme): every request is routed to the handler. */
const ORIGIN = 'http://gatehouse-app.test';
const toApp = (url: string) => url.replace(ORIGIN, 'gatehouse://app');

async function preloadForPage(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(REPO_ROOT, 'electron', 'preload.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    alias: { electron: path.join(import.meta.dirname, 'fixtures', 'electron-renderer.mjs') },
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

/** A BrowserWindow backed by a Chromium page: loadURL navigates it, webContents.send delivers to its preload. */
class PageContents extends FakeContents {
  constructor(private readonly page: Page) {
    super();
  }
  override send(channel: string, ...args: unknown[]): void {
    super.send(channel, ...args);
    void this.page
      .evaluate(
        ([c, payload]) =>
          (
            globalThis as unknown as { __gatehouseDeliver: (c: unknown, p: unknown) => void }
          ).__gatehouseDeliver(c, payload),
        [channel, args[0]] as const,
      )
      .catch(() => undefined);
  }
}

class PageWindow extends FakeWindow {
  constructor(
    options: BrowserWindowConstructorOptions,
    private readonly page: Page,
  ) {
    super(options, new PageContents(page));
  }
  override loadURL(url: string): Promise<void> {
    super.loadURL(url);
    return this.page.goto(url.replace('gatehouse://app', ORIGIN)).then(() => undefined);
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The page's preload over the fake ipcMain, answered as `contents` showing the page's URL. */
async function attachPreload(page: Page, ipcMain: FakeIpcMain, contents: FakeContents): Promise<void> {
  await page.exposeBinding('__gatehouseIpc', ({ frame }, channel: string, ...args: unknown[]) =>
    ipcMain.invoke(contents, toApp(frame.url()), channel, ...args),
  );
  await page.addInitScript({ content: await preloadForPage() });
}

/** A real gateway (ev upstream, echo asks) behind startShell, its dashboard window a Chromium page. */
async function openApp() {
  expect(fs.existsSync(path.join(REPO_ROOT, 'dist', 'renderer', 'index.html'))).toBe(true);
  const home: TestHome = makeHome({
    servers: { ev: everythingStdio() },
    policy: { version: '1', default: 'allow', tools: { echo: { action: 'approve' } } },
  });
  cleanups.push(() => home.cleanup());
  const gateway = new Gateway({ home: home.home, port: 0, diagnostics: () => undefined });
  cleanups.push(() => gateway.stop());

  const browser: Browser = await chromium.launch(CHROMIUM);
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  const page = await openPage(context, errors);
  const fake = fakeElectron({ createWindow: (options) => new PageWindow(options, page) });
  await context.route(`${ORIGIN}/**`, async (route) => {
    const handler = fake.protocolHandlers.get('gatehouse');
    if (!handler) return route.abort();
    const res = await handler(
      new Request(toApp(route.request().url()), { method: route.request().method() }),
    );
    await route.fulfill({
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: Buffer.from(await res.arrayBuffer()),
    });
  });
  // The dashboard window is the first one the shell creates: its contents answer this page's IPC.
  await page.exposeBinding('__gatehouseIpc', ({ frame }, channel: string, ...args: unknown[]) =>
    fake.ipcMain.invoke(fake.windows[0]!.webContents, toApp(frame.url()), channel, ...args),
  );
  await page.addInitScript({ content: await preloadForPage() });

  let ui: ShellUiContext | undefined;
  await startShell(fake.electron, {
    gateway,
    dashboardDir: path.join(REPO_ROOT, 'dist', 'renderer'),
    preload: '/app/dist/electron/preload.cjs',
    diagnostics: () => undefined,
    startUi: (host) => (ui = host),
  }).ready;

  const client = await connectClient(gateway.runtime!.mcpUrl, home.tokens.test!);
  cleanups.push(() => client.close());
  const deadline = Date.now() + 20_000;
  while (!(await client.listTools()).tools.some((t) => t.name === 'ev__echo')) {
    if (Date.now() > deadline) throw new Error('ev__echo never appeared');
    await new Promise((r) => setTimeout(r, 100));
  }
  const echo = (message: string) => callTool(client, 'ev__echo', { message });
  const viaOf = (message: string) =>
    readAllRecords(path.join(home.home, 'logs')).records.find(
      (r) => r.exposedName === 'ev__echo' && (r.arguments as { message?: string }).message === message,
    );
  return { fake, page, context, errors, ui: ui!, echo, viaOf };
}

describe('the app window in Chromium, over IPC', () => {
  it('shows the dashboard with no sign-in, under its CSP, and answers an approval over IPC', async () => {
    const { page, errors, echo, viaOf } = await openApp();
    // The dashboard at once: its navigation, no sign-in page; the page sees only invoke and on.
    await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
    expect(await page.getByText('Sign in').count()).toBe(0);
    expect(
      await page.evaluate(() => Object.keys((globalThis as { gatehouse?: object }).gatehouse ?? {}).sort()),
    ).toEqual(['invoke', 'on']);

    const result = echo('through the app window');
    // The approval arrives as an event over IPC; the card's button answers through IPC.
    await page.evaluate("location.hash = '#approvals'");
    const approve = page.getByRole('button', { name: 'Approve once' });
    await approve.waitFor();
    await shot(page, 'app-window-approval');
    await approve.click();
    expect(textOf(await result)).toBe('Echo: through the app window');
    expect(viaOf('through the app window')).toMatchObject({
      status: 'ok',
      approval: { decision: 'approve', via: 'dashboard' },
    });
    expect(errors).toEqual([]);
  });

  it('answers from the approval popup, a window the UI registers, via popup', async () => {
    const { fake, context, errors, ui, echo, viaOf } = await openApp();
    const popup = await openPage(context, errors);
    await popup.setViewportSize({ width: 420, height: 560 });
    const contents = new PageContents(popup);
    ui.registerWindow(contents);
    await attachPreload(popup, fake.ipcMain, contents);
    await popup.goto(ui.pageUrl('popup').replace('gatehouse://app', ORIGIN));
    await popup.getByText('Nothing waiting.').waitFor();

    const result = echo('from the popup');
    await popup.getByRole('article').first().waitFor();
    await popup.evaluate("window.dispatchEvent(new Event('focus'))");
    // Its buttons wake a second after the window is focused.
    await new Promise((r) => setTimeout(r, 1200));
    await shot(popup, 'app-popup-approval');
    await popup.getByRole('article').first().getByRole('button', { name: 'Approve once' }).click();
    expect(textOf(await result)).toBe('Echo: from the popup');
    expect(viaOf('from the popup')).toMatchObject({
      status: 'ok',
      approval: { decision: 'approve', via: 'popup' },
    });
    await popup.getByText('Nothing waiting.').waitFor();
    expect(errors).toEqual([]);
  });
});
