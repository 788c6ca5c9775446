// The call log's chain and export in the Live calls view, in Chromium against gatehouse serve: the header names the
// chain's head as GET /api/log/head does, and Export CSV downloads one row per call of the current filters.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { callTool, openDashboardWithAgent, shot } from './browser.js';

const CALLS = 3;

describe('Live calls: the log chain and export', () => {
  let home: TestHome;
  let dash: Awaited<ReturnType<typeof openDashboardWithAgent>>;
  const logHead = async () => {
    const res = await fetch(`${dash.serve.runtime.controlUrl}/log/head`, {
      headers: { authorization: `Bearer ${dash.serve.runtime.adminToken}` },
    });
    return (await res.json()) as { ok: boolean; head?: string; records: number };
  };

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: { version: '1', default: 'allow' } });
    dash = await openDashboardWithAgent(home, 'test', 'ev__echo');
    for (let i = 0; i < CALLS; i++) await callTool(dash.client, 'ev__echo', { message: `hello ${i}` });
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('shows the chain intact with the head GET /api/log/head reports', async () => {
    const { page } = dash;
    // A fresh read of the view: the head after the calls, not the one of the empty log.
    await page.reload();
    const status = page.getByTestId('log-chain');
    await expect
      .poll(() => status.innerText())
      .toMatch(/^Log chain intact — head \S+…\S+ \(\d+ records today\)/);
    const api = await logHead();
    expect(api.ok).toBe(true);
    expect(api.records).toBeGreaterThanOrEqual(CALLS * 2);
    const code = status.getByLabel('Log chain head hash');
    expect(await code.getAttribute('title')).toBe(api.head);
    expect(await code.innerText()).toBe(api.head);
    expect(await status.innerText()).toContain(`${api.head?.slice(0, 4)}…${api.head?.slice(-2)}`);
    expect(await status.innerText()).toContain(`(${api.records.toLocaleString('en-US')} records today)`);
  });

  it('downloads the filtered calls as CSV, one row per call', async () => {
    const { page } = dash;
    await page.getByText(`${CALLS} calls shown`).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`gatehouse-calls-${new Date().toISOString().slice(0, 10)}.csv`);
    const file = await download.path();
    const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/tool/);
    expect(lines).toHaveLength(CALLS + 1);
    expect(lines[1]).toContain('echo');
    await expect.poll(() => page.locator('.call-export-note').count()).toBe(0);
  });

  it('reads the head again after new calls, at most every 10 s', async () => {
    const { page } = dash;
    const before = await page.getByLabel('Log chain head hash').innerText();
    await callTool(dash.client, 'ev__echo', { message: 'one more' });
    const after = await logHead();
    expect(after.head).not.toBe(before);
    await expect
      .poll(() => page.getByLabel('Log chain head hash').innerText(), { timeout: 15_000 })
      .toBe(after.head);
  });

  it('screenshots the header at 1280 and 800 px', async () => {
    const { page } = dash;
    await shot(page, 'log-export');
    await page.setViewportSize({ width: 800, height: 800 });
    await shot(page, 'log-export-800');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(dash.errors).toEqual([]);
  });

  it('shows an alert naming the break when a line of the log is changed', async () => {
    const { page } = dash;
    const day = path.join(home.home, 'logs', `${new Date().toISOString().slice(0, 10)}.jsonl`);
    fs.writeFileSync(day, fs.readFileSync(day, 'utf8').replace('hello 1', 'hello X'));
    expect((await logHead()).ok).toBe(false);
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: "The call log's chain is broken:" });
    await expect.poll(() => alert.innerText()).toMatch(/changed/);
    await shot(page, 'log-export-broken');
  });
});
