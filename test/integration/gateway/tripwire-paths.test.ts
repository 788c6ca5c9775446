// The tripwire against a real upstream that can read the Gatehouse home: server-filesystem allowed a folder that
// contains the home. Every spelling that opens the home's policy.json waits for a person and reaches the upstream
// only once approved; a harmless path passes. path.within holds through the gateway too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { PendingApproval } from '../../../shared/api/approvals.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import { addGrant } from '../../../electron/gateway/grants/store.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { connectClient, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';
import { filesystemStdio } from '../../helpers/upstreams.js';

let parent: string;
let work: string;
let home: TestHome;
let gateway: Gateway;
let runtime: RuntimeInfo;
let client: Client;

/** A home named so that no name check of the old tripwire could see it: only canonical paths can. */
function homeIn(dir: string, servers: unknown, policy: unknown): TestHome {
  fs.mkdirSync(dir, { recursive: true });
  const write = (file: string, value: unknown) =>
    fs.writeFileSync(
      path.join(dir, file),
      typeof value === 'string' ? value : JSON.stringify(value, null, 2),
      {
        mode: 0o600,
      },
    );
  write('servers.json', { mcpServers: servers });
  write('policy.json', policy);
  const tokens = { test: addGrant(path.join(dir, 'grants.json'), 'test').token };
  return { home: dir, tokens, write, cleanup: () => undefined };
}

beforeAll(async () => {
  parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-it-')));
  work = path.join(parent, 'work');
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, 'notes.txt'), 'harmless notes');
  const gh = path.join(parent, 'gh');
  fs.symlinkSync(gh, path.join(work, 'link'));
  home = homeIn(
    gh,
    // The upstream may read everything under `parent`, the home included.
    { fs: filesystemStdio([parent]) },
    {
      version: '1',
      default: 'deny',
      servers: {
        fs: {
          tools: {
            read_text_file: { action: 'allow' },
            list_allowed_directories: { action: 'allow' },
            get_file_info: { args: { path: { path: { within: [work] } } } },
          },
        },
      },
    },
  );
  ({ gateway, runtime } = await startGateway(home, ['fs']));
  client = await connectClient(runtime.mcpUrl, home.tokens.test!);
});
afterAll(async () => {
  await client?.close();
  await gateway?.stop();
  fs.rmSync(parent, { recursive: true, force: true });
});

const api = async (route: string, method = 'GET', body?: unknown) => {
  const res = await fetch(`${runtime.controlUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${runtime.adminToken}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, unknown>;
};
const call = (name: string, args: Record<string, unknown>) =>
  client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema, {
    timeout: 60_000,
  });
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

/** The approval waiting for these arguments, within 10 s (the old tripwire let these calls straight through). */
async function waitingFor(args: Record<string, unknown>): Promise<PendingApproval> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = (await api('/approvals')).approvals as PendingApproval[];
    const found = list.find((a) => JSON.stringify(a.arguments) === JSON.stringify(args));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no approval waits for ${JSON.stringify(args)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What the upstream was asked to do for a call: the call log's lines for it (decision, then outcome). */
function logLines(args: Record<string, unknown>) {
  return readAllRecords(path.join(home.home, 'logs')).records.filter(
    (r) => JSON.stringify(r.arguments) === JSON.stringify(args),
  );
}

describe('the tripwire compares what the OS will open', () => {
  const spellings = () => ({
    'a .. segment': `${work}/../gh/policy.json`,
    'a relative path (against the allowed folder)': 'gh/policy.json',
    'a symlink into the home': `${work}/link/policy.json`,
    'a file:// URI with encoded dots': `file://${work}/%2e%2e/gh/policy.json`,
    'percent-encoded separators': `file://${parent}/work%2F..%2Fgh%2Fpolicy.json`,
  });

  for (const name of Object.keys(spellings())) {
    it(`${name}: waits for approval and never reaches the upstream unapproved`, async () => {
      const args = { path: spellings()[name as keyof ReturnType<typeof spellings>] };
      const result = call('fs__read_text_file', args);
      const approval = await waitingFor(args);
      expect(approval.reason).toMatch(/^tripwire: the arguments mention the Gatehouse home \(/);
      expect(approval).toMatchObject({ server: 'fs', tool: 'read_text_file' });
      await api(`/approvals/${approval.id}`, 'POST', { decision: 'deny' });
      const denied = await result;
      expect(textOf(denied)).toMatch(/^Gatehouse denied fs__read_text_file: rejected by/);
      expect(textOf(denied)).not.toContain('"version"');
      expect(logLines(args).map((r) => r.status)).toEqual(['rejected']);
    });
  }

  it('approved, a .. and a symlink spelling do open the home’s policy.json (the danger is real)', async () => {
    for (const file of [`${work}/../gh/policy.json`, `${work}/link/policy.json`]) {
      const args = { path: file };
      const result = call('fs__read_text_file', args);
      const approval = await waitingFor(args);
      await api(`/approvals/${approval.id}`, 'POST', { decision: 'approve' });
      expect(textOf(await result)).toContain('"version": "1"');
    }
  });

  it('a harmless path passes at once', async () => {
    const result = await call('fs__read_text_file', { path: `${work}/notes.txt` });
    expect(textOf(result)).toBe('harmless notes');
    expect(textOf(await call('fs__list_allowed_directories', {}))).toContain(parent);
  });
});

describe('path.within through the gateway', () => {
  it('a path inside the folder passes; .. and a symlink out of it are refused with the argument named', async () => {
    const inside = await call('fs__get_file_info', { path: `${work}/notes.txt` });
    expect(inside.isError).toBeFalsy();
    for (const file of [`${work}/../gh/policy.json`, `${work}/link/policy.json`, `${work}/%2e%2e/gh`]) {
      const refused = await call('fs__get_file_info', { path: file });
      expect(textOf(refused)).toBe(
        `Gatehouse denied fs__get_file_info: argument "path" is not inside ${work}`,
      );
      expect(refused._meta?.['gatehouse/decision']).toMatchObject({ status: 'invalid_args' });
    }
  });
});
