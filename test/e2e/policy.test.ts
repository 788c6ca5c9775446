// The Policy view in Chromium against gatehouse serve: an edit reviewed as a line diff and saved byte for byte (an
// agent's next call feels it), an invalid text's errors inline as it is typed with the save held back and the old
// policy kept, and a draft kept when the file changes on disk, its save refused without overwriting the file.
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

  it('shows an invalid text’s errors inline as it is typed, says why it cannot be saved, and keeps the policy', async () => {
    const { page } = dash;
    const before = onDisk();
    const invalid = policyOf('maybe');
    await editor().fill(invalid);
    const errors = page.getByTestId('policy-check').getByRole('list', { name: 'Errors' });
    const line = invalid.split('\n').findIndex((l) => l.includes('"maybe"')) + 1;
    const error = errors.getByRole('button', { name: /tools\.echo\.action/ });
    await expect.poll(() => error.innerText()).toMatch(new RegExp(`line ${line}\\b`));
    const review = page.getByRole('button', { name: 'Review changes' });
    expect(await review.isDisabled()).toBe(true);
    expect(await page.locator('#policy-save-state').innerText()).toBe('Cannot save: 1 error above');
    expect(await review.getAttribute('aria-describedby')).toBe('policy-save-state');
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

  it('keeps a draft when the file changes on disk, refuses its save, and offers the new text', async () => {
    const { page } = dash;
    const draft = policyOf('allow', ',\n      "reason": "my draft"');
    await editor().fill(draft);
    const diskEdit = policyOf('deny', ',\n      "reason": "edited on disk"');
    fs.writeFileSync(policyFile(), diskEdit);
    const notice = status().getByRole('alert');
    await expect.poll(() => notice.innerText()).toMatch(/policy\.json changed on disk since you opened it/);
    expect(await editor().inputValue()).toBe(draft);
    await notice.getByRole('button', { name: 'Show the change on disk' }).click();
    const onDiskChanges = notice.getByRole('list', { name: 'Changes on disk' });
    expect(await onDiskChanges.locator('[data-kind="added"]').allInnerTexts()).toEqual([
      expect.stringContaining('"reason": "edited on disk"'),
    ]);
    await shot(page, 'policy-disk-changed');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'policy-disk-changed-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Saving the draft anyway is refused: the file is not overwritten.
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => status().getByRole('alert').last().innerText())
      .toMatch(/changed on disk since it was read/);
    expect(onDisk()).toBe(diskEdit);
    expect(await editor().inputValue()).toBe(draft);

    await notice.getByRole('button', { name: 'Discard my draft and load the new text' }).click();
    await expect.poll(() => editor().inputValue()).toBe(diskEdit);
    expect(await status().innerText()).toBe('');
    expect(onDisk()).toBe(diskEdit);
    // The refusal asked for above is the only failed request the browser reports.
    const expected = /status of 409 \(Conflict\) \(http:\/\/[^)]+\/api\/policy\)$/;
    expect(dash.errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
