// Team mode in the Settings view, in Chromium against gatehouse serve: one line says where rate limits are counted —
// the team's Redis, connected or unreachable — and follows it live; the Redis password shows nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, type TestHome } from '../helpers/gateway-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openDashboard, shot } from './browser.js';

const PASSWORD = 'e2e-redis-pass-7f3a';

describe('Settings view: the team counters line', () => {
  let redis: RedisServer;
  let home: TestHome;
  let dash: Awaited<ReturnType<typeof openDashboard>>;

  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
    home = makeHome({ settings: { counters: { redis: redis.url, team: 'e2e' } } });
    dash = await openDashboard(home.home);
  });
  afterAll(async () => {
    await dash?.close();
    await redis?.stop();
    home?.cleanup();
  });

  it('says the counters are shared and connected, then unreachable and refused, then connected again', async () => {
    const { page } = dash;
    const line = page.getByTestId('counter-backend');
    await page.getByRole('link', { name: 'Settings' }).click();
    const shared = `Rate limits with scope global and grant are shared with team "e2e" on redis://127.0.0.1:${redis.port}`;
    await expect.poll(() => line.innerText()).toMatch(new RegExp(`^${shared} — connected since .+\\.$`));

    await redis.stop();
    await expect
      .poll(() => line.innerText(), { timeout: 10_000 })
      .toMatch(/ — unreachable since .+ \(.+\): calls under a shared limit are refused meanwhile\.$/);
    await shot(page, 'settings-team-unreachable');

    await redis.restart();
    await expect.poll(() => line.innerText(), { timeout: 10_000 }).toMatch(/ — connected since /);
    expect(await page.content()).not.toContain(PASSWORD);
    const api = async (route: string) => {
      const { controlUrl, adminToken } = dash.serve.runtime;
      const res = await fetch(`${controlUrl}${route}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      return res.text();
    };
    expect(await api('/settings')).toContain(`"redis":"redis://:••••••@127.0.0.1:${redis.port}"`);
    expect(await api('/counters')).toContain(`"redis":"redis://127.0.0.1:${redis.port}"`);
    for (const route of ['/settings', '/counters', '/health'])
      expect(await api(route)).not.toContain(PASSWORD);
    expect(dash.serve.stderr()).not.toContain(PASSWORD);
    expect(dash.errors).toEqual([]);
  });
});
