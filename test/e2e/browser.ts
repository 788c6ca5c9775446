// Browser-test helpers for the dashboard e2e: Debian Chromium through playwright-core (never a browser download),
// pages that record console errors, and the MCP client calls that feed the dashboard.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  REPO_ROOT,
  connectClient,
  exitOf,
  startServe,
  type ServeProcess,
} from '../helpers/gateway-fixture.js';
import { CHROMIUM_ARGS } from '../helpers/dashboard-fixtures.mjs';

export const CHROMIUM: LaunchOptions = { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS };
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

export function assertBuilt(): void {
  for (const file of ['dist/node/cli.js', 'dist/renderer/index.html']) {
    if (!fs.existsSync(path.join(REPO_ROOT, file))) {
      throw new Error(
        `${file} is missing: build first (node scripts/build-node.mjs && npx vite build), or run npm test`,
      );
    }
  }
}

export function loginUrlOf(readyLine: string): string {
  const match = /dashboard=(\S+)/.exec(readyLine);
  if (!match) throw new Error(`no dashboard URL in the ready line: ${readyLine}`);
  return match[1] as string;
}

export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema, {
    timeout: 60_000,
  });
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

export async function waitForTool(client: Client, name: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { tools } = await client.listTools();
    if (tools.some((t) => t.name === name)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tool ${name} never appeared`);
}

/** A page that records console errors and uncaught exceptions: the dashboard must produce none. */
export async function openPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return page;
}

export async function stopServe(serve: ServeProcess | undefined): Promise<void> {
  if (!serve || serve.child.exitCode !== null) return;
  serve.child.kill('SIGTERM');
  await exitOf(serve.child);
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

/** The four screenshots of what `page` shows: `name`, `-dark`, `-800`, `-800-dark` (light and dark, 1280 and 800 wide). */
export async function shotsEveryWay(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: 1280, height: size.height });
  await shot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`);
  await page.setViewportSize({ width: 800, height: size.height });
  await shot(page, `${name}-800-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, `${name}-800`);
  await page.setViewportSize(size);
}

/** A gateway on `home`, Chromium at 1280×800 signed in to its dashboard, and how to end both. */
export interface OpenDashboard {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions of the page (the dashboard must produce none). */
  errors: string[];
  close: () => Promise<void>;
}

/** The dashboard, and an agent: an MCP client of `grant` once `tool` is listed (closed with the rest). */
export async function openDashboardWithAgent(
  home: { home: string; tokens: Record<string, string> },
  grant: string,
  tool: string,
): Promise<OpenDashboard & { client: Client }> {
  const dash = await openDashboard(home.home);
  const client = await connectClient(dash.serve.runtime.mcpUrl, home.tokens[grant] as string);
  await waitForTool(client, tool);
  return {
    ...dash,
    client,
    close: async () => {
      await client.close().catch(() => undefined);
      await dash.close();
    },
  };
}

export async function openDashboard(home: string): Promise<OpenDashboard> {
  assertBuilt();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const [serve, browser] = await Promise.all([startServe(home), chromium.launch(CHROMIUM)]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const errors: string[] = [];
  const page = await openPage(context, errors);
  await page.goto(loginUrlOf(serve.readyLine));
  await page.getByRole('heading', { name: 'Live calls' }).waitFor();
  return {
    serve,
    browser,
    page,
    errors,
    close: async () => {
      await browser.close();
      await stopServe(serve);
    },
  };
}

/** The table row whose row header is exactly `name`. */
export const rowOf = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
