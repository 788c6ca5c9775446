// The Policy view follows policy.json live, in Chromium against gatehouse serve: the gateway's check marks a rule
// that can never decide (a warning with its line, saving allowed), and a file changed on disk with no draft open
// reloads the view by itself.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { callTool, openDashboardWithAgent, shot, textOf } from './browser.js';

const SHADOWED = `{
  "version": "1",
  "default": "allow",
  "tools": {
    "delete_*": { "action": "deny" },
    "delete_file": { "action": "allow" }
  }
}
`;

describe('Policy view, live', () => {
  let home: TestHome;
  let dash: Awaited<ReturnType<typeof openDashboardWithAgent>>;
  const policyFile = () => path.join(home.home, 'policy.json');
  const editor = () => dash.page.getByLabel('policy.json');
  const warnings = () => dash.page.getByTestId('policy-check').getByRole('list', { name: 'Warnings' });

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: SHADOWED });
    dash = await openDashboardWithAgent(home, 'test', 'ev__echo');
    await dash.page.getByRole('link', { name: 'Policy' }).click();
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('warns about a rule that can never decide, with its line, and still lets the edit be saved', async () => {
    const { page } = dash;
    await expect.poll(() => editor().inputValue()).toBe(SHADOWED);
    const warning = warnings().getByRole('button', { name: /tools\["delete_file"\]/ });
    await expect
      .poll(() => warning.innerText())
      .toMatch(/line 6\b.*can never decide: tools\["delete_\*"\] denies every tool it matches/s);
    expect(await page.getByTestId('policy-check').getByRole('list', { name: 'Errors' }).count()).toBe(0);
    await warning.click();
    const [value, at] = (await page.evaluate(
      '(() => { const el = document.activeElement; return [el.value, el.selectionStart]; })()',
    )) as [string, number];
    expect(value.slice(0, at).split('\n').length).toBe(6);
    for (const [width, suffix] of [
      [1280, ''],
      [800, '-narrow'],
    ] as const) {
      await page.setViewportSize({ width, height: 800 });
      await shot(page, `policy-warning${suffix}`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, `policy-warning${suffix}-dark`);
      await page.emulateMedia({ colorScheme: 'light' });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // A warning does not hold the save back.
    const edited = SHADOWED.replace('"default": "allow"', '"default": "deny"');
    await editor().fill(edited);
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('policy-status').innerText()).toMatch(/^Saved — version/);
    expect(fs.readFileSync(policyFile(), 'utf8')).toBe(edited);
    await expect.poll(() => warnings().count()).toBe(1);
  });

  it('reloads by itself when policy.json changes on disk and no draft is open', async () => {
    const { page } = dash;
    const diskEdit = `{\n  "version": "1",\n  "default": "allow",\n  "tools": { "echo": { "action": "deny", "reason": "from disk" } }\n}\n`;
    fs.writeFileSync(policyFile(), diskEdit);
    await expect.poll(() => editor().inputValue()).toBe(diskEdit);
    // Polled: the last save's outcome is cleared in the same render or the next one.
    await expect
      .poll(() => page.getByTestId('policy-status').innerText())
      .toBe('Reloaded: policy.json changed on disk');
    await expect.poll(() => warnings().count()).toBe(0);
    const denied = await callTool(dash.client, 'ev__echo', { message: 'hi' });
    expect(textOf(denied)).toMatch(/from disk/);
    expect(await page.getByRole('button', { name: 'Review changes' }).isDisabled()).toBe(true);
    expect(dash.errors).toEqual([]);
  });
});
