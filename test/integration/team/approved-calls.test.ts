// Team mode and approvals: a call a person approves is charged on the team's Redis at its release, like any call —
// and when the shared limit was used up while it waited, the release refuses it, naming the team's limit.
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { answer, call, pending, type Setup } from '../../helpers/approvals.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  openedGateways,
  startGateway,
} from '../../helpers/gateway-fixture.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';

const policy = {
  version: '1',
  default: 'allow',
  tools: {
    echo: {
      action: 'approve',
      limits: [{ counter: 'asked_rate', window: 'minute', max: 1, scope: 'grant' }],
    },
  },
};

describe('approved calls under a shared limit', () => {
  const opened = openedGateways();
  let redis: RedisServer;
  let s: Setup;

  beforeAll(async () => {
    redis = await startRedis();
    const home = makeHome({
      servers: { ev: everythingStdio() },
      policy,
      settings: { counters: { redis: redis.url, team: 'asked' } },
    });
    const { gateway, runtime } = await startGateway(home, ['ev']);
    const client = await connectClient(runtime.mcpUrl, home.tokens.test as string);
    opened.track(home, gateway, client);
    s = { home, gateway, runtime, client };
  });
  afterAll(async () => {
    await opened.closeAll();
    await redis?.stop();
  });

  it('charges an approved call on Redis at its release, and refuses one released after the limit was used up', async () => {
    const first = call(s, 'ev__echo', { message: 'one' }) as Promise<CallToolResult>;
    const second = call(s, 'ev__echo', { message: 'two' }) as Promise<CallToolResult>;
    const [a, b] = await pending(s, 2);
    expect((await answer(s, a!.id, { decision: 'approve' })).status).toBe(200);
    const check = new Redis(redis.url);
    const charged = () => check.zcard('gatehouse:{asked}:asked_rate\u0000grant\u0000test');
    const deadline = Date.now() + 10_000;
    while ((await charged()) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await charged()).toBe(1);
    expect((await answer(s, b!.id, { decision: 'approve' })).status).toBe(200);
    const results = await Promise.all([first, second]);
    const passed = results.filter((r) => !r.isError);
    const refused = results.filter((r) => r.isError);
    expect(passed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0]!.content[0] as { text: string }).text).toMatch(
      /^Gatehouse denied ev__echo: approved by .+, but at release: rate limit "asked_rate" reached \(1 per minute, shared by team "asked"\); retry in \d+ s$/,
    );
    expect(await charged()).toBe(1);
    check.disconnect();
    const records = readAllRecords(path.join(s.home.home, 'logs')).records.filter((r) => r.tool === 'echo');
    expect(records.map((r) => r.status).sort()).toEqual(['ok', 'rate_limited']);
  });
});
