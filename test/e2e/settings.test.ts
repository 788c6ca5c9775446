// The Settings view in Chromium against gatehouse serve: each key of settings.json saved to the file, the gateway's
// refusal shown next to the key with the file left as it was, and the pause switch that an agent's call feels.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { callTool, openDashboardWithAgent, shot, textOf } from './browser.js';

describe('Settings view', () => {
  let home: TestHome;
  let dash: Awaited<ReturnType<typeof openDashboardWithAgent>>;
  const settingsFile = () => path.join(home.home, 'settings.json');
  const readSettings = () => JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>;
  const api = async (route: string) => {
    const res = await fetch(`${dash.serve.runtime.controlUrl}${route}`, {
      headers: { authorization: `Bearer ${dash.serve.runtime.adminToken}` },
    });
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: { version: '1', default: 'allow' } });
    dash = await openDashboardWithAgent(home, 'test', 'ev__echo');
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('saves pauseMode and logRetentionDays to settings.json', async () => {
    const { page } = dash;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(page.url()).toMatch(/#settings$/);
    await page.getByLabel('While paused').selectOption('deny');
    await page.getByLabel('Keep the call log for (days)').fill('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByTestId('settings-status').innerText()).toBe('saved');
    const saved = readSettings();
    expect(saved.pauseMode).toBe('deny');
    expect(saved.logRetentionDays).toBe(7);
    // The pause switch explains the pause with the mode now in force.
    await expect.poll(() => page.locator('.setting-pause').innerText()).toMatch(/denied at once/);
  });

  it('pauses every call and resumes', async () => {
    const { page } = dash;
    await page.getByRole('button', { name: 'Pause all calls' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await api('/pause')).toMatchObject({ paused: true, mode: 'deny' });
    const denied = await callTool(dash.client, 'ev__echo', { message: 'hi' });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/Gatehouse is paused/);
    // The screenshots from the view's top, where the pause switch is.
    await page.locator('.settings-view').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, 'settings');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'settings-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause all calls' }).waitFor();
    expect(await api('/pause')).toMatchObject({ paused: false });
    const passed = await callTool(dash.client, 'ev__echo', { message: 'hi' });
    expect(passed.isError).toBeFalsy();
    expect(textOf(passed)).toMatch(/hi/);
  });

  it('shows the refusal of an invalid value next to its key and leaves the file as it was', async () => {
    const { page } = dash;
    const before = fs.readFileSync(settingsFile(), 'utf8');
    const field = page.locator('[data-setting="logRetentionDays"]');
    await page.getByLabel('Keep the call log for (days)').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => field.getByRole('alert').innerText()).toMatch(/1|greater|>=/i);
    expect(await page.getByTestId('settings-status').innerText()).toBe('Not saved');
    expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(before);
    await shot(page, 'settings-error');
    expect(dash.errors).toEqual([]);
  });
});
