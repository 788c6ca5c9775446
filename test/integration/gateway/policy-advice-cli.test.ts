// gatehouse policy recommend and simulate over a real gateway, server-everything and a log of real calls; the control
// operations they stand on (recommendPolicy, simulatePolicy). The CLI runs async: the gateway is in this process.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import { checkPolicyText } from '../../../electron/gateway/policy/check.js';
import { createClient } from '../../../shared/api/client.js';
import type { GatehouseApi } from '../../../shared/api/operations.js';
import {
  runCli,
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const policy = {
  version: '1',
  default: 'allow',
  tools: { echo: { action: 'allow' }, 'get-env': { action: 'deny', reason: 'private' } },
};

describe('policy recommend and simulate', () => {
  let home: TestHome;
  let gateway: Gateway;
  let client: Client;
  let api: GatehouseApi;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy });
    const started = await startGateway(home, ['ev']);
    gateway = started.gateway;
    client = await connectClient(started.runtime.mcpUrl, home.tokens.test!);
    api = createClient({ baseUrl: started.runtime.controlUrl, token: started.runtime.adminToken });
    const call = (name: string, args: Record<string, unknown>) =>
      client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);
    for (const message of ['one', 'two', 'three']) await call('ev__echo', { message });
    await call('ev__get-sum', { a: 1, b: 2 });
    await call('ev__get-sum', { a: 3, b: 4 });
    await call('ev__get-env', {});
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    home?.cleanup();
  });

  const draft = (value: unknown) => {
    const file = path.join(home.home, `draft-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(value, null, 2));
    return file;
  };

  it('simulates the unchanged policy over the log: the same decisions as the live engine', async () => {
    const { code, stdout } = await runCli(
      home.home,
      'policy',
      'simulate',
      path.join(home.home, 'policy.json'),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^6 calls in the log: this policy would have allowed 5, asked for 0 and denied 1\./,
    );
    expect(stdout).toContain('No call would have met a different outcome.');
    expect(stdout).toContain('note: Arguments in the log are redacted');
  });

  it('lists what an edited policy would change, first N with --limit', async () => {
    const file = draft({
      version: '1',
      default: 'allow',
      tools: { echo: { action: 'deny', reason: 'no echo' }, 'get-sum': { action: 'approve' } },
    });
    const { stdout } = await runCli(home.home, 'policy', 'simulate', file, '--since', '1d', '--limit', '2');
    expect(stdout).toMatch(
      /^6 calls in the last 1d: this policy would have allowed 1, asked for 2 and denied 3\./,
    );
    expect(stdout).toContain('6 calls would meet a different outcome:');
    expect(stdout).toMatch(/ test {2}ev\/echo {2}allow → deny {2}tools\["echo"\]: no echo\n/);
    expect(stdout).toContain('… and 4 more (--limit N shows more)');
    const { stdout: json } = await runCli(home.home, 'policy', 'simulate', file, '--json');
    const sim = JSON.parse(json) as { changed: { tool: string; would: string }[] };
    expect(sim.changed.map((c) => `${c.tool}:${c.would}`)).toEqual([
      'echo:deny',
      'echo:deny',
      'echo:deny',
      'get-sum:approve',
      'get-sum:approve',
      'get-env:allow',
    ]);
    // The control operation gives the same.
    const viaApi = await api.simulatePolicy({ text: fs.readFileSync(file, 'utf8'), since: '1d' });
    expect(viaApi.changed).toHaveLength(6);
    expect(viaApi.counts).toMatchObject({ allow: 1, approve: 2, deny: 3 });
    await expect(api.simulatePolicy({ text: '{"version": "2"}' })).rejects.toMatchObject({ status: 400 });
  });

  it('recommends rules as a diff, keeps the user’s, and writes them only with --apply', async () => {
    const before = fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8');
    const { code, stdout } = await runCli(home.home, 'policy', 'recommend', '--destructive', 'deny');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^--- policy\.json\n\+\+\+ policy\.json \(recommended\)\n@@ /);
    expect(stdout).toContain('+  "servers": {');
    expect(stdout).toMatch(/ {2}ev\/echo: tools\["echo"\] is a rule the user wrote for this tool \(kept\)/);
    expect(stdout).toMatch(/ {2}ev\/get-env: tools\["get-env"\] denies it/);
    expect(fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8')).toBe(before);

    const applied = await runCli(home.home, 'policy', 'recommend', '--apply');
    expect(applied.stdout).toMatch(/applied: \d+ rules written to policy\.json\n$/);
    const after = fs.readFileSync(path.join(home.home, 'policy.json'), 'utf8');
    expect(checkPolicyText(after).errors).toEqual([]);
    const written = JSON.parse(after) as { servers: { ev: { tools: Record<string, { action: string }> } } };
    expect(written.servers.ev.tools['get-sum']).toEqual({ action: 'allow' });
    expect(written.servers.ev.tools.echo).toBeUndefined();
    // The gateway took it: a second recommendation has nothing left to add.
    const again = await api.recommendPolicy({});
    expect(again.edits).toEqual([]);
    expect(again.diff).toBeUndefined();
  });

  it('simulates without a running gateway', async () => {
    await client.close();
    await gateway.stop();
    const file = draft({ version: '1', default: 'deny' });
    const { code, stdout } = await runCli(home.home, 'policy', 'simulate', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/this policy would have allowed 0, asked for 0 and denied 6\./);
  });

  it('recommends without a running gateway for the tools Gatehouse last saw, and writes the file with --apply', async () => {
    const file = path.join(home.home, 'policy.json');
    fs.writeFileSync(file, '{\n  "version": "1",\n  "default": "approve"\n}\n');
    const shown = await runCli(home.home, 'policy', 'recommend');
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('no gateway is running: recommending for the tools Gatehouse last saw');
    expect(shown.stdout).toContain('+        "get-sum": {');
    const applied = await runCli(home.home, 'policy', 'recommend', '--apply');
    expect(applied.stdout).toMatch(/applied: \d+ rules written to .*policy\.json\n$/);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      default: string;
      servers: { ev: { tools: Record<string, { action: string }> } };
    };
    expect(written.default).toBe('approve');
    expect(written.servers.ev.tools['get-sum']).toEqual({ action: 'allow' });
    expect(written.servers.ev.tools.echo).toEqual({ action: 'allow' });
  });
});
