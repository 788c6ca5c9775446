// The Policy view in Chromium against gatehouse serve: an edit reviewed as a line diff and saved byte for byte (an
// agent's next call feels it), an invalid text refused with each error inline and the old policy kept, and a file
// changed on disk since it was read refused without being overwritten.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { callTool, openDashboardWithAgent, shot, textOf } from './browser.js';

const policyOf = (action: string, extra = '') =>
  `{\n  "version": "1",\n  "default": "allow",\n  "tools": {\n    "echo": {\n      "action": "${action}"${extra}\n    }\n  }\n}\n`;

describe('Policy view', () => {
  let home: TestHome;
  let dash: Awaited<ReturnType<typeof openDashboardWithAgent>>;
  const policyFile = () => path.join(home.home, 'policy.json');
  const onDisk = () => fs.readFileSync(policyFile(), 'utf8');
  const editor = () => dash.page.getByLabel('policy.json');
  const status = () => dash.page.getByTestId('policy-status');

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: policyOf('allow') });
    dash = await openDashboardWithAgent(home, 'test', 'ev__echo');
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('reviews an edit as a line diff, saves it byte for byte, and the next call is denied', async () => {
    const { page } = dash;
    const allowed = await callTool(dash.client, 'ev__echo', { message: 'hi' });
    expect(allowed.isError).toBeFalsy();
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByRole('heading', { name: 'Policy' }).waitFor();
    expect(page.url()).toMatch(/#policy$/);
    await expect.poll(() => editor().inputValue()).toBe(policyOf('allow'));
    await expect.poll(() => page.getByTestId('policy-version').innerText()).toMatch(/version \S+ in force/);

    const edited = policyOf('deny', ',\n      "reason": "no echo today"');
    await editor().fill(edited);
    await page.getByRole('button', { name: 'Review changes' }).click();
    const diff = page.getByRole('list', { name: 'Changes' });
    await diff.waitFor();
    expect(await diff.locator('[data-kind="removed"]').allInnerTexts()).toEqual([
      expect.stringContaining('"action": "allow"'),
    ]);
    expect(await diff.locator('[data-kind="added"]').allInnerTexts()).toEqual([
      expect.stringContaining('"action": "deny",'),
      expect.stringContaining('"reason": "no echo today"'),
    ]);
    await shot(page, 'policy');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'policy-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => status().innerText()).toMatch(/^Saved — version \S+ in force$/);
    expect(onDisk()).toBe(edited);
    expect(await editor().inputValue()).toBe(edited);
    const version = /version (\S+) in force/.exec(await status().innerText())?.[1];
    expect(await page.getByTestId('policy-version').innerText()).toContain(version);
    const denied = await callTool(dash.client, 'ev__echo', { message: 'hi' });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/no echo today/);
  });

  it('shows an invalid text refused with its path and line, leaving the file and the policy in force', async () => {
    const { page } = dash;
    const before = onDisk();
    const invalid = policyOf('maybe');
    await editor().fill(invalid);
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = status().getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/policy in force stays as it was/);
    const line = invalid.split('\n').findIndex((l) => l.includes('"maybe"')) + 1;
    const error = alert.getByRole('button', { name: /tools\.echo\.action/ });
    expect(await error.innerText()).toMatch(new RegExp(`line ${line}\\b`));
    expect(onDisk()).toBe(before);
    const still = await callTool(dash.client, 'ev__echo', { message: 'hi' });
    expect(still.isError).toBe(true);
    expect(textOf(still)).toMatch(/no echo today/);

    // A click on the error puts the caret on its line.
    await error.click();
    const [value, at, focused] = (await page.evaluate(
      '(() => { const el = document.activeElement; return [el.value, el.selectionStart, el.getAttribute("aria-label")]; })()',
    )) as [string, number, string];
    expect(focused).toBe('policy.json');
    expect(value.slice(0, at).split('\n').length).toBe(line);
    await shot(page, 'policy-error');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'policy-error-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('refuses a save over a file changed on disk since it was read, and offers to load it', async () => {
    const { page } = dash;
    await page.getByRole('button', { name: 'Discard edits' }).click();
    const diskEdit = policyOf('deny', ',\n      "reason": "edited on disk"');
    fs.writeFileSync(policyFile(), diskEdit);
    await editor().fill(policyOf('allow'));
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = status().getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/changed on disk since it was read/);
    expect(onDisk()).toBe(diskEdit);
    await alert.getByRole('button', { name: 'Load the file as it is now' }).click();
    await expect.poll(() => editor().inputValue()).toBe(diskEdit);
    expect(onDisk()).toBe(diskEdit);
    // The refusals asked for above are the only failed requests the browser reports.
    const expected = /status of (400 \(Bad Request\)|409 \(Conflict\)) \(http:\/\/[^)]+\/api\/policy\)$/;
    expect(dash.errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
