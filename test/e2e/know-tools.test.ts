// "Know your tools" in the dashboard, in Chromium against gatehouse serve with server-everything and an MCP client of
// the SDK calling it: each tool's risk badge with its reasons; a recommended policy shown as a diff, applied with one
// click (the file then equals the expected text byte for byte, and the next call meets it) and undone byte for byte;
// a draft replayed over the recorded calls before it is saved; a deny rule watched (monitor), then enforced.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { callTool, openDashboardWithAgent, shotsEveryWay, textOf, type OpenDashboard } from './browser.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createClient } from '../../shared/api/client.js';
import type { GatehouseApi } from '../../shared/api/operations.js';

const ORIGINAL = `{
  "version": "1",
  "default": "allow",
  "x-note": "kept as it is",
  "servers": {
    "ev": {
      "tools": {
        "get-env": { "action": "deny", "reason": "private" }
      }
    }
  }
}
`;

/** What the dashboard's "Apply" must write for server-everything's tools (Destructive → Deny; it has none). */
const RECOMMENDED = `{
  "version": "1",
  "default": "allow",
  "x-note": "kept as it is",
  "servers": {
    "ev": {
      "tools": {
        "get-env": { "action": "deny", "reason": "private" },
        "echo": {
          "action": "allow"
        },
        "get-annotated-message": {
          "action": "allow"
        },
        "get-resource-links": {
          "action": "allow"
        },
        "get-resource-reference": {
          "action": "allow"
        },
        "get-structured-content": {
          "action": "allow"
        },
        "get-sum": {
          "action": "allow"
        },
        "get-tiny-image": {
          "action": "allow"
        },
        "gzip-file-as-resource": {
          "action": "approve",
          "reason": "recommended for Open-world tools: a person decides"
        },
        "toggle-simulated-logging": {
          "action": "approve",
          "reason": "recommended for Write tools: a person decides"
        },
        "toggle-subscriber-updates": {
          "action": "approve",
          "reason": "recommended for Write tools: a person decides"
        },
        "trigger-long-running-operation": {
          "action": "approve",
          "reason": "recommended for Execute tools: a person decides, 10 a minute",
          "limits": [
            {
              "counter": "ev_trigger-long-running-operation_rate",
              "window": "minute",
              "max": 10,
              "scope": "grant"
            }
          ]
        },
        "get-roots-list": {
          "action": "allow"
        },
        "trigger-elicitation-request": {
          "action": "approve",
          "reason": "recommended for Execute tools: a person decides, 10 a minute",
          "limits": [
            {
              "counter": "ev_trigger-elicitation-request_rate",
              "window": "minute",
              "max": 10,
              "scope": "grant"
            }
          ]
        },
        "trigger-sampling-request": {
          "action": "approve",
          "reason": "recommended for Execute tools: a person decides, 10 a minute",
          "limits": [
            {
              "counter": "ev_trigger-sampling-request_rate",
              "window": "minute",
              "max": 10,
              "scope": "grant"
            }
          ]
        },
        "simulate-research-query": {
          "action": "allow"
        }
      }
    }
  }
}
`;

describe('Know your tools in the dashboard', () => {
  let home: TestHome;
  let dash: OpenDashboard & { client: Client };
  let page: Page;
  let file: string;
  let api: GatehouseApi;
  const onDisk = () => fs.readFileSync(file, 'utf8');
  const group = () => page.getByRole('region', { name: 'ev', exact: true });
  const row = (tool: string) =>
    group()
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: tool, exact: true }) });
  const saved = (text: string) => page.locator('.policy-edit-bar').filter({ hasText: text }).waitFor();
  const toTools = async () => {
    await page.getByRole('link', { name: 'Tools' }).click();
    await row('echo').waitFor();
  };

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, grants: ['laptop'] });
    file = path.join(home.home, 'policy.json');
    fs.writeFileSync(file, ORIGINAL, { mode: 0o600 });
    dash = await openDashboardWithAgent(home, 'laptop', 'ev__echo');
    page = dash.page;
    api = createClient({ baseUrl: dash.serve.runtime.controlUrl, token: dash.serve.runtime.adminToken });
    await toTools();
  });

  afterAll(async () => {
    await dash?.close();
    home?.cleanup();
  });

  it('shows each tool’s risk as a badge with its reasons, and filters by it', async () => {
    const badge = row('echo').getByTestId('tool-risk');
    expect(await badge.innerText()).toBe('Read · low');
    expect(await badge.getAttribute('title')).toBe('low risk (read): name is echo');
    const rows = await group().locator('tbody > tr:not(.rule-editor-row)').count();
    expect(await group().getByTestId('tool-risk').count()).toBe(rows);
    await page.getByLabel('Risk', { exact: true }).selectOption('medium');
    const levels = await page.getByTestId('tool-risk').allInnerTexts();
    expect(levels.length).toBeGreaterThan(0);
    expect(levels.length).toBeLessThan(rows);
    for (const words of levels) expect(words).toMatch(/· (medium|high)$/);
    await page.getByLabel('Risk', { exact: true }).selectOption('');
    await page.getByLabel('Riskiest first').check();
    const ordered = await page.getByTestId('tool-risk').allInnerTexts();
    const rank = (w: string) => ['low', 'medium', 'high'].indexOf(w.split(' · ')[1] as string);
    expect(ordered.map(rank)).toEqual([...ordered.map(rank)].sort((a, b) => b - a));
    await shotsEveryWay(page, 'know-tools-risk');
    await page.getByLabel('Riskiest first').uncheck();
  });

  /** The rule and status the gateway recorded for the agent's latest call. */
  const lastCall = async () => {
    const [call] = (await api.listCalls({ limit: 1 })).calls;
    return { tool: call?.tool, rule: call?.rule, status: call?.status, monitored: call?.monitored };
  };

  it('recommends a policy as a diff, applies it with one click (the exact text), and Undo restores the file', async () => {
    await page.getByRole('button', { name: 'Recommend a policy' }).click();
    const panel = page.getByRole('region', { name: 'Recommend a policy' });
    await panel
      .getByRole('radiogroup', { name: 'Destructive tools' })
      .getByRole('radio', { name: 'Deny' })
      .click();
    await panel.getByRole('button', { name: 'Propose' }).click();
    const diff = panel.getByRole('list', { name: 'Recommended changes' });
    await diff.waitFor();
    expect(await diff.locator('[data-kind=added]').count()).toBeGreaterThan(0);
    expect(await diff.locator('[data-kind=removed]').count()).toBeGreaterThanOrEqual(0);
    await panel.getByText(/tools? left as they are/).click();
    expect(await panel.getByRole('list', { name: 'Tools left as they are' }).innerText()).toContain(
      'ev/get-env',
    );
    // The proposal can be replayed first: no call was made yet, so there is nothing to replay.
    const replay = panel.getByRole('region', { name: 'What the recommended policy would change' });
    await replay.getByRole('button', { name: 'What would this change?' }).click();
    await replay
      .getByText('No tool call was recorded in the last 7 days: there is nothing to replay.')
      .waitFor();
    await panel.getByRole('heading', { name: 'Recommend a policy' }).scrollIntoViewIfNeeded();
    await shotsEveryWay(page, 'know-tools-recommend');
    await panel.getByRole('button', { name: 'Apply the recommended policy' }).click();
    await saved('Saved: recommended policy');
    expect(onDisk()).toBe(RECOMMENDED);
    // The next call meets the new rules: echo is a Read tool, allowed by its own rule now.
    expect(textOf(await callTool(dash.client, 'ev__echo', { message: 'after' }))).toContain('after');
    expect(await lastCall()).toMatchObject({ tool: 'echo', rule: 'servers.ev.tools["echo"]', status: 'ok' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await saved('Undone: recommended policy');
    expect(onDisk()).toBe(ORIGINAL);
  });

  it('a proposal made for an older file is refused (409), the file is not overwritten', async () => {
    await page.getByRole('button', { name: 'Recommend a policy' }).click();
    const panel = page.getByRole('region', { name: 'Recommend a policy' });
    await panel.getByRole('button', { name: 'Propose' }).click();
    await panel.getByRole('list', { name: 'Recommended changes' }).waitFor();
    const changed = ORIGINAL.replace('"private"', '"private, changed on disk"');
    fs.writeFileSync(file, changed);
    await panel.getByRole('button', { name: 'Apply the recommended policy' }).click();
    await page.locator('.policy-edit-bar.is-conflict').waitFor();
    expect(onDisk()).toBe(changed);
    fs.writeFileSync(file, ORIGINAL);
    await expect.poll(async () => (await api.getPolicy({})).text).toBe(ORIGINAL);
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('replays a draft that denies echo over the calls made: the count and the calls listed', async () => {
    const since = new Date().toISOString();
    for (const message of ['one', 'two', 'three'])
      expect(textOf(await callTool(dash.client, 'ev__echo', { message }))).toContain(message);
    const echoCalls = (await api.listCalls({ limit: 1000 })).calls.filter((c) => c.tool === 'echo');
    const total = (await api.listCalls({ limit: 1000 })).calls.length;
    expect(echoCalls.filter((c) => c.ts >= since)).toHaveLength(3);
    await page.getByRole('link', { name: 'Policy' }).click();
    const editor = page.getByRole('textbox', { name: 'policy.json' });
    await editor.waitFor();
    await expect.poll(() => editor.inputValue()).toBe(ORIGINAL);
    await editor.fill(ORIGINAL.replace('"get-env"', '"echo": { "action": "deny" },\n        "get-env"'));
    const simulation = page.getByRole('region', { name: 'What this draft would change' });
    await simulation.getByRole('button', { name: 'What would this change?' }).click();
    const n = echoCalls.length;
    await simulation
      .getByText(
        `This draft would have denied ${n} call${n === 1 ? '' : 's'} of the last 7 days (${n} of the ${total} calls replayed change).`,
      )
      .waitFor();
    const rows = simulation.getByRole('table', { name: 'Calls that would change' }).locator('tbody tr');
    expect(await rows.count()).toBe(n);
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain('laptop');
      expect(text).toContain('ev/echo');
      expect(text).toContain('allowed → denied');
      expect(text).toContain('servers.ev.tools["echo"]');
    }
    await shotsEveryWay(page, 'know-tools-simulate');
    await page.getByRole('button', { name: 'Discard edits' }).click();
    expect(onDisk()).toBe(ORIGINAL);
  });

  it('watches a deny rule (monitor): the call passes, Live calls says it would have been denied; Enforce denies', async () => {
    await toTools();
    await row('echo')
      .getByRole('radiogroup', { name: 'Action for echo' })
      .getByRole('radio', { name: 'Deny' })
      .click();
    await saved('Saved: ev/echo → Deny.');
    expect(textOf(await callTool(dash.client, 'ev__echo', { message: 'stopped' }))).not.toContain(
      'Echo: stopped',
    );
    expect(await lastCall()).toMatchObject({ tool: 'echo', status: 'denied' });
    await row('echo').getByRole('button', { name: 'Edit rule of echo' }).click();
    const rule = page.getByRole('region', { name: 'Rule of echo', exact: true });
    await rule.getByRole('button', { name: 'Watch only (monitor)' }).click();
    await saved('Saved: ev/echo: watch only.');
    const GET_ENV = '"get-env": { "action": "deny", "reason": "private" }';
    expect(onDisk()).toBe(
      ORIGINAL.replace(
        GET_ENV,
        `${GET_ENV},\n        "echo": {\n          "action": "deny",\n          "monitor": true\n        }`,
      ),
    );
    await expect.poll(() => row('echo').locator('.rule-cell').innerText()).toContain('watching: Deny');
    expect(textOf(await callTool(dash.client, 'ev__echo', { message: 'watched' }))).toContain('watched');
    expect(await lastCall()).toMatchObject({
      tool: 'echo',
      status: 'ok',
      monitored: { status: 'denied', rule: 'servers.ev.tools["echo"]' },
    });
    await shotsEveryWay(page, 'know-tools-monitor-switch');
    await page.getByRole('link', { name: /Live calls/ }).click();
    const grid = page.getByRole('grid', { name: 'Calls, newest first' });
    const first = grid.locator('.calls-body [role=row]').first();
    await expect.poll(() => first.innerText()).toContain('would deny');
    expect(await first.locator('.monitored-badge').getAttribute('title')).toBe(
      'watched rule, not enforced: would have been denied by servers.ev.tools["echo"] (denied by policy rule "echo")',
    );
    await shotsEveryWay(page, 'know-tools-monitored-call');
    await first.click();
    const details = page.getByRole('complementary');
    await details.getByText('Watched rule (not enforced)').waitFor();
    expect(await details.getByRole('heading', { level: 2 }).innerText()).toContain('would have been denied');
    await shotsEveryWay(page, 'know-tools-monitored-details');
    await toTools();
    if (
      (await row('echo').getByRole('button', { name: 'Edit rule of echo' }).getAttribute('aria-expanded')) !==
      'true'
    )
      await row('echo').getByRole('button', { name: 'Edit rule of echo' }).click();
    await rule.getByRole('button', { name: 'Enforce' }).click();
    await saved('Saved: ev/echo: enforced.');
    expect(await callTool(dash.client, 'ev__echo', { message: 'enforced' }).then(textOf)).not.toContain(
      'Echo: enforced',
    );
    expect(await lastCall()).toMatchObject({ tool: 'echo', status: 'denied' });
    // The one 409 is the refused proposal above, logged by Chromium as a failed request.
    expect(dash.errors.filter((e) => !e.includes('status of 409 (Conflict)'))).toEqual([]);
  });
});
