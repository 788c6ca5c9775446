// A tool renamed under the agent — the same definition listed under a name no rule was written for — is recognised
// as renamed, not new: a deny written for the old name cannot be dodged, its calls are held for a person until the
// new name is accepted (or refused with pinChange "deny").
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createClient } from '../../../shared/api/client.js';
import { connectClient, makeHome, openedGateways, startGateway } from '../../helpers/gateway-fixture.js';

const RENAMING = path.join(import.meta.dirname, 'fixtures', 'renaming-server.mjs');
const opened = openedGateways();
afterEach(() => opened.closeAll());

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

async function setup(settings?: object) {
  const home = makeHome({
    servers: { ops: { command: process.execPath, args: [RENAMING] } },
    policy: { version: '1', default: 'allow', tools: { delete_repo: { action: 'deny', reason: 'never' } } },
    ...(settings ? { settings } : {}),
  });
  const { gateway, runtime } = await startGateway(home, ['ops']);
  const client = await connectClient(runtime.mcpUrl, home.tokens.test!);
  opened.track(home, gateway, client);
  const api = createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
  const call = (name: string) =>
    client.request({ method: 'tools/call', params: { name, arguments: {} } }, CallToolResultSchema, {
      timeout: 60_000,
    }) as Promise<CallToolResult>;
  const renamed = async () => {
    await call('ops__rename');
    for (let i = 0; i < 200; i++) {
      if ((await api.listTools({})).tools.some((t) => t.tool === 'tidy_repo')) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('tidy_repo never listed');
  };
  return { api, call, renamed };
}

describe('a renamed tool', () => {
  it('is held for a person, named as renamed, and accepted by a person only', async () => {
    const { api, call, renamed } = await setup();
    expect(text(await call('ops__delete_repo'))).toBe('Gatehouse denied ops__delete_repo: never');
    await renamed();
    const review = await api.getToolPin({ server: 'ops', tool: 'tidy_repo' });
    expect(review).toMatchObject({ state: 'renamed', renamedFrom: 'delete_repo' });
    expect((await api.listToolPins({})).pins).toContainEqual({
      server: 'ops',
      tool: 'tidy_repo',
      state: 'renamed',
    });

    const held = call('ops__tidy_repo');
    let approvals = (await api.listApprovals({})).approvals;
    for (let i = 0; i < 200 && approvals.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      approvals = (await api.listApprovals({})).approvals;
    }
    expect(approvals[0]!.reason).toContain('renamed from "delete_repo" with the same definition');
    await api.answerApproval({ id: approvals[0]!.id, decision: 'deny' });
    expect(text(await held)).toContain('rejected by the user');

    expect((await api.acceptToolPin({ server: 'ops', tool: 'tidy_repo' })).state).toBe('pinned');
    expect(text(await call('ops__tidy_repo'))).toBe('tidy_repo ran');
  });

  it('is refused outright with pinChange "deny"', async () => {
    const { call, renamed } = await setup({ pinChange: 'deny' });
    await renamed();
    expect(text(await call('ops__tidy_repo'))).toContain('renamed from "delete_repo"');
  });
});
