// Monitor mode end to end (DESIGN.md §4): a rule with "monitor": true is recorded with what it would have done, the
// call goes on as the rest of the policy decides, its limits use up nothing, and the tripwire still asks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createClient } from '../../../shared/api/client.js';
import type { GatehouseApi } from '../../../shared/api/operations.js';
import type { CallRecord } from '../../../shared/call-record.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const limit = { counter: 'sums', window: 'minute', max: 1, scope: 'grant' };
const policy = {
  version: '1',
  default: 'allow',
  approvalTimeoutSeconds: 1,
  tools: {
    echo: { action: 'deny', reason: 'echo is off', monitor: true },
    'get-sum': { limits: [limit], monitor: true },
  },
};

describe('monitor mode through the gateway', () => {
  let home: TestHome;
  let stop: () => Promise<void>;
  let client: Client;
  let api: GatehouseApi;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy });
    const { gateway, runtime } = await startGateway(home, ['ev']);
    stop = () => gateway.stop();
    client = await connectClient(runtime.mcpUrl, home.tokens.test!);
    api = createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
  });
  afterAll(async () => {
    await client?.close();
    await stop?.();
    home?.cleanup();
  });

  const call = (name: string, args: Record<string, unknown>) =>
    client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);
  const records = async (tool: string): Promise<CallRecord[]> =>
    (await api.listCalls({ tool, limit: 50 })).calls as CallRecord[];

  it('forwards a call a monitored deny would refuse, and records that it would have been denied', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('ev__echo');
    const result = await call('ev__echo', { message: 'watched' });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: watched' }]);
    const [record] = await records('echo');
    expect(record).toMatchObject({
      decision: 'allow',
      status: 'ok',
      monitor: true,
      monitored: { decision: 'deny', status: 'denied', rule: 'tools["echo"]', reason: 'echo is off' },
    });
  });

  it('passes every call under a monitored limit, charges nothing, and says when the limit would have been reached', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await call('ev__get-sum', { a: 1, b: i });
      expect(result.isError).toBeFalsy();
    }
    const sums = (await records('get-sum')).reverse();
    expect(sums.map((r) => [r.decision, r.status, r.monitored?.status])).toEqual([
      ['allow', 'ok', 'allowed'],
      ['allow', 'ok', 'rate_limited'],
      ['allow', 'ok', 'rate_limited'],
    ]);
    expect(sums.every((r) => r.charges === undefined)).toBe(true);
    // Enforced now: the counter starts at zero, so one call passes and the next is limited.
    const { etag } = await api.getPolicy({});
    const enforced = { ...policy, tools: { ...policy.tools, 'get-sum': { limits: [limit] } } };
    await api.putPolicy({ text: JSON.stringify(enforced, null, 2), ifMatch: etag });
    const quota = (await api.listTools({})).tools.find((t) => t.tool === 'get-sum')?.quota;
    expect(quota).toEqual([expect.objectContaining({ counter: 'sums', remaining: 1 })]);
    expect((await call('ev__get-sum', { a: 1, b: 1 })).isError).toBeFalsy();
    const limited = await call('ev__get-sum', { a: 1, b: 2 });
    expect(limited._meta?.['gatehouse/decision']).toMatchObject({ status: 'rate_limited' });
  });

  it('never monitors the tripwire: a call naming the Gatehouse home still asks a person', async () => {
    const pending = call('ev__echo', { message: `read ${home.home}/grants.json` });
    let approvals = (await api.listApprovals({})).approvals;
    for (let i = 0; i < 50 && approvals.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      approvals = (await api.listApprovals({})).approvals;
    }
    expect(approvals[0]?.reason).toMatch(/^tripwire: /);
    await api.answerApproval({ id: approvals[0]!.id, decision: 'deny' });
    const result = await pending;
    expect(result.isError).toBe(true);
    const [record] = await records('echo');
    expect(record).toMatchObject({
      decision: 'approve',
      rule: 'tripwire',
      status: 'rejected',
      monitor: true,
      monitored: { decision: 'deny' },
    });
  });
});
