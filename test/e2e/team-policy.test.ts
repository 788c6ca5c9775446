// Team mode's one policy in the dashboard, in Chromium against gatehouse serve: the Policy view shows the team's policy
// with where it comes from (the URL's password masked), read-only, and a failed fetch as it happens; the Tools view's
// controls are disabled saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/api/client.js';
import { everythingStdio, makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { startPolicyServer, type PolicyServer } from '../helpers/policy-server.js';
import { openDashboardWithAgent, shot } from './browser.js';

const TEAM_POLICY = {
  version: '1',
  default: 'allow',
  tools: { 'get-sum': { action: 'deny', reason: 'the team does not sum' } },
};

describe('the team policy in the dashboard', () => {
  let source: PolicyServer;
  let home: TestHome;
  let dash: Awaited<ReturnType<typeof openDashboardWithAgent>>;

  beforeAll(async () => {
    source = await startPolicyServer();
    source.serve(TEAM_POLICY);
    home = makeHome({
      servers: { ev: everythingStdio() },
      settings: { policySource: { url: source.url, refreshSeconds: 60 } },
    });
    dash = await openDashboardWithAgent(home, 'test', 'ev__echo');
  });
  afterAll(async () => {
    await dash?.close();
    await source?.close();
    home?.cleanup();
  });

  it('shows the source read-only in the Policy view, and a failed fetch with the last good policy kept', async () => {
    const { page } = dash;
    await page.getByRole('link', { name: 'Policy' }).click();
    const notice = page.getByTestId('policy-source');
    const shownUrl = `http://team:••••••@127.0.0.1:${source.port}/team/policy.json`;
    await expect
      .poll(() => notice.innerText())
      .toMatch(`The policy comes from the team (${shownUrl}): change it there. It is read-only here.`);
    expect(await notice.innerText()).toMatch(/Fetched at \d\d:\d\d:\d\d · ETag "\w+"/);
    const editor = page.getByRole('textbox', { name: 'policy.json' });
    expect(JSON.parse(await editor.inputValue())).toEqual(TEAM_POLICY);
    expect(await editor.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: 'Review changes' }).isVisible()).toBe(false);
    await shot(page, 'policy-team-source');

    source.fail(500);
    const { controlUrl, adminToken } = dash.serve.runtime;
    await createClient({ baseUrl: controlUrl, token: adminToken }).refreshPolicySource({});
    await expect
      .poll(() => notice.innerText())
      .toMatch(
        'The last fetch failed: answered HTTP 500 Internal Server Error. The last good team policy stays in force.',
      );
    expect(JSON.parse(await editor.inputValue())).toEqual(TEAM_POLICY);
    expect(await page.content()).not.toContain('s3cret-pass');
  });

  it('disables the Tools view controls, saying why', async () => {
    const { page } = dash;
    await page.getByRole('link', { name: 'Tools' }).click();
    const why = page.getByTestId('tools-read-only');
    await expect
      .poll(() => why.innerText())
      .toMatch(
        /^The policy comes from the team \(.+\): change it there: the controls below are read-only\.$/,
      );
    const deny = page
      .getByRole('radiogroup', { name: 'Action for get-sum', exact: true })
      .getByRole('radio', { name: 'Deny', exact: true });
    expect(await deny.isChecked()).toBe(true);
    expect(await deny.isDisabled()).toBe(true);
    const allowEcho = page
      .getByRole('radiogroup', { name: 'Action for echo', exact: true })
      .getByRole('radio', { name: 'Allow', exact: true });
    expect(await allowEcho.isDisabled()).toBe(true);
    expect(
      await page
        .getByRole('radiogroup', { name: 'Default for ev', exact: true })
        .getByRole('radio')
        .first()
        .isDisabled(),
    ).toBe(true);
    await shot(page, 'tools-team-read-only');
    expect(dash.errors).toEqual([]);
  });
});
