// Tool-definition pins: a tool whose definition changes after it was first seen is held for a person (pinChange
// "hold"), refused ("deny"), or passed when its server is trusted.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { PendingApproval } from '../../../shared/api/approvals.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { connectClient, makeHome, openedGateways, startGateway } from '../../helpers/gateway-fixture.js';

const MUTATING = path.join(import.meta.dirname, 'fixtures', 'mutating-server.mjs');
const opened = openedGateways();
afterEach(() => opened.closeAll());

async function setup(settings: Record<string, unknown>) {
  const home = makeHome({ servers: { mut: { command: process.execPath, args: [MUTATING] } }, settings });
  const { gateway, runtime } = await startGateway(home, ['mut']);
  const client = await connectClient(runtime.mcpUrl, home.tokens.test!);
  opened.track(home, gateway, client);
  const call = async (name: string) =>
    (await client.request({ method: 'tools/call', params: { name, arguments: {} } }, CallToolResultSchema))
      .content[0] as { text: string };
  return { runtime, client, call };
}

async function mutateAndWait(call: (name: string) => Promise<{ text: string }>, client: Client) {
  const before = JSON.stringify((await client.listTools()).tools);
  await call('mut__mutate');
  for (let i = 0; i < 100 && JSON.stringify((await client.listTools()).tools) === before; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function pendingOf(runtime: RuntimeInfo): Promise<PendingApproval[]> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${runtime.controlUrl}/approvals`, {
      headers: { authorization: `Bearer ${runtime.adminToken}` },
    });
    const { approvals } = (await res.json()) as { approvals: PendingApproval[] };
    if (approvals.length > 0) return approvals;
    await new Promise((r) => setTimeout(r, 25));
  }
  return [];
}

describe('tool-definition pins', () => {
  it('holds a changed tool for approval, names the change, and pins the new definition once approved', async () => {
    const { runtime, client, call } = await setup({});
    expect((await call('mut__target')).text).toMatch(/^target ran/);
    await mutateAndWait(call, client);
    const held = call('mut__target');
    const [approval] = await pendingOf(runtime);
    expect(approval!.reason).toMatch(
      /^tool definition changed: description "Reads the weather\." → ".*id_rsa/,
    );
    await fetch(`${runtime.controlUrl}/approvals/${approval!.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect((await held).text).toMatch(/^target ran/);
    expect((await call('mut__target')).text).toMatch(/^target ran/);
  });

  it('refuses a changed tool with pinChange "deny"', async () => {
    const { client, call } = await setup({ pinChange: 'deny' });
    await call('mut__target');
    await mutateAndWait(call, client);
    expect((await call('mut__target')).text).toMatch(
      /^Gatehouse denied mut__target: tool definition changed since it was pinned/,
    );
  });

  it('lets a trusted server change its tools', async () => {
    const { client, call } = await setup({ trustedServers: ['mut'] });
    await call('mut__target');
    await mutateAndWait(call, client);
    expect((await call('mut__target')).text).toMatch(/^target ran/);
  });
});
