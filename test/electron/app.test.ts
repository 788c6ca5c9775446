// The tray app in a real Electron, driven by Playwright's _electron: the window opens on the app's own origin with no
// Node in the page; an `approve` rule brings up the approval popup, and a click there releases the agent's call.
// It runs wherever the Electron binary is installed and a display is available. Where not (this project's CI: no
// network to fetch the binary, no display), a test of its own says NOT RUN and why — never a silent pass.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { findElectron } from '../../scripts/electron-find.mjs';
import {
  connectClient,
  everythingStdio,
  makeHome,
  REPO_ROOT,
  type TestHome,
} from '../helpers/gateway-fixture.js';
import { callTool, textOf } from '../e2e/browser.js';

const electron = findElectron({
  electronDir: path.join(REPO_ROOT, 'node_modules', 'electron'),
  markerFile: path.join(REPO_ROOT, 'node_modules', '.cache', 'gatehouse', 'electron-download-failed'),
  // Tests never download: `npm start` does, once, where it can.
  download: () => 'the tests do not download it (npm start does)',
});

if (!electron.bin) {
  // No skip: where the app cannot run, this says why in the output, and fails if the reason is not one of the known
  // ones (a binary that should be there but cannot be found is a failure, not a quiet pass).
  it(`the app in Electron is not run here: ${electron.why}`, () => {
    process.stderr.write(`Electron app suite NOT RUN: ${electron.why}\n`);
    expect(electron.why).toMatch(/^(no display|its binary is missing|the electron package is not installed)/);
  });
}

const bin = electron.bin;
if (bin !== undefined)
  describe('the app in Electron', () => {
    let home: TestHome;
    let app: ElectronApplication;
    let agent: Client | undefined;

    beforeAll(async () => {
      home = makeHome({
        servers: { ev: everythingStdio() },
        policy: { version: '1', default: 'allow', tools: { echo: { action: 'approve' } } },
        settings: { port: 0 },
      });
      app = await _electron.launch({
        executablePath: bin,
        args: [REPO_ROOT],
        cwd: REPO_ROOT,
        env: { ...process.env, GATEHOUSE_HOME: home.home } as Record<string, string>,
      });
    }, 120_000);
    afterAll(async () => {
      await agent?.close();
      await app?.close();
      home?.cleanup();
    });

    async function dashboard(): Promise<Page> {
      const page = await app.firstWindow();
      await page.waitForURL(/^gatehouse:\/\/app\//);
      return page;
    }

    it('opens the dashboard on the app origin, with no Node and only invoke/on in the page', async () => {
      const page = await dashboard();
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(
        await page.evaluate(() =>
          Object.keys((globalThis as unknown as { gatehouse: object }).gatehouse).sort(),
        ),
      ).toEqual(['invoke', 'on']);
      await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
    });

    it('shows the approval popup for an `approve` rule, and a click there releases the call', async () => {
      const runtimeFile = path.join(home.home, 'runtime.json');
      const deadline = Date.now() + 30_000;
      while (!fs.existsSync(runtimeFile) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const runtime = JSON.parse(fs.readFileSync(runtimeFile, 'utf8')) as { mcpUrl: string };
      agent = await connectClient(runtime.mcpUrl, home.tokens.test!);
      const popupShown = app.waitForEvent('window', {
        predicate: (page) => page.url().includes('view=popup'),
        timeout: 30_000,
      });
      const call = callTool(agent, 'ev__echo', { message: 'from the electron suite' });
      const popup = await popupShown;
      const card = popup.getByRole('article');
      await card.waitFor();
      await popup.bringToFront();
      await card.click();
      await new Promise((r) => setTimeout(r, 1100)); // its buttons work a second after the popup is focused
      await card.getByRole('button', { name: 'Approve once' }).click();
      expect(textOf(await call)).toBe('Echo: from the electron suite');
    });
  });
