// Getting in again, in Chromium against gatehouse serve: a signed-in dashboard survives a reload and a new tab of the
// same browser; the one-time URL works once; sign-out ends the token at the gateway and in every open tab; a gateway
// restart on the same home and port ends the session, said as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createClient } from '../../shared/api/client.js';
import { makeHome, startServe, type ServeProcess, type TestHome } from '../helpers/gateway-fixture.js';
import { CHROMIUM, assertBuilt, loginUrlOf, openPage, shotsEveryWay, stopServe } from './browser.js';

const TOKEN_KEY = 'gatehouse.dashboardToken';

describe('signing in to the dashboard again', () => {
  let home: TestHome;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let first: Page;
  let second: Page;
  const errors: string[] = [];

  const signedIn = (page: Page) => page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
  const signInPage = (page: Page) => page.getByRole('heading', { name: 'Gatehouse dashboard' }).waitFor();
  const pauseStatus = async (token: string) =>
    (await fetch(`${serve.runtime.controlUrl}/pause`, { headers: { authorization: `Bearer ${token}` } }))
      .status;

  beforeAll(async () => {
    assertBuilt();
    home = makeHome({ policy: { version: '1', default: 'allow' } });
    [serve, browser] = await Promise.all([startServe(home.home), chromium.launch(CHROMIUM)]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  });

  afterAll(async () => {
    await browser?.close();
    await stopServe(serve);
    home?.cleanup();
  });

  it('stays signed in across a reload and in a new tab opened without a code', async () => {
    first = await openPage(context, errors);
    await first.goto(loginUrlOf(serve.readyLine));
    await signedIn(first);
    await first.reload();
    await signedIn(first);
    await first.getByRole('heading', { name: 'Live calls' }).waitFor();

    second = await openPage(context, errors);
    await second.goto(serve.runtime.dashboardUrl);
    await signedIn(second);
    expect(second.url()).toBe(serve.runtime.dashboardUrl);
  });

  it('refuses the one-time URL a second time', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const own: string[] = [];
    const page = await openPage(other, own);
    await page.goto(loginUrlOf(serve.readyLine));
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain(
      'Sign-in failed: this login code is unknown, used or expired',
    );
    await other.close();
    expect(own).toEqual([expect.stringMatching(/status of 401 .*\/api\/login\)$/)]);
  });

  it('signs out: the token is refused by the gateway and the other tab shows the sign-in page', async () => {
    const token = await first.evaluate<string | null>(`localStorage.getItem('${TOKEN_KEY}')`);
    expect(token).toBeTruthy();
    expect(await pauseStatus(token as string)).toBe(200);
    await first.getByRole('button', { name: 'Sign out' }).click();
    await signInPage(first);
    expect(await first.getByRole('status').innerText()).toBe('You are signed out.');
    await shotsEveryWay(first, 'signed-out');
    expect(await pauseStatus(token as string)).toBe(401);
    expect(await first.evaluate<string | null>(`localStorage.getItem('${TOKEN_KEY}')`)).toBeNull();
    await signInPage(second);
    expect(await second.getByRole('status').innerText()).toBe('You signed out in another tab.');
  });

  it('a gateway restart on the same home ends the session: the open tab says so', async () => {
    const admin = createClient({ baseUrl: serve.runtime.controlUrl, token: serve.runtime.adminToken });
    const { url } = await admin.createLoginUrl({});
    await first.goto(url);
    await signedIn(first);
    await signedIn(second); // the other tab follows the new sign-in

    const port = serve.runtime.port;
    await stopServe(serve);
    serve = await startServe(home.home, ['--port', String(port)]);
    await first.getByRole('heading', { name: 'Gatehouse dashboard' }).waitFor({ timeout: 20_000 });
    expect(await first.getByRole('alert').innerText()).toContain('Your dashboard session has ended');
    await shotsEveryWay(first, 'session-ended');
    await first.reload();
    await signInPage(first);
    // Only what Chromium itself logs: the refused requests, the event stream and requests in flight cut by the stop,
    // the gateway down.
    const expected =
      /status of 401 |ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/;
    expect(errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
