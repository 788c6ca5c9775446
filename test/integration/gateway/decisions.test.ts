// Every decision type end to end: a real SDK client, the gateway, and server-everything over stdio.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const policy = {
  version: '1',
  default: 'deny',
  approvalTimeoutSeconds: 1,
  tools: {
    echo: { action: 'allow', args: { message: { pattern: '[a-z ]+', maxLength: 40 } } },
    'get-sum': { limits: [{ counter: 'sums', window: 'hour', max: 2, scope: 'grant' }] },
    'get-env': { action: 'deny', reason: 'environment is private' },
    'get-tiny-image': { action: 'approve' },
  },
};

describe('decisions through the gateway', () => {
  let home: TestHome;
  let stop: () => Promise<void>;
  let client: Client;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy });
    const { gateway, runtime } = await startGateway(home, ['ev']);
    stop = () => gateway.stop();
    client = await connectClient(runtime.mcpUrl, home.tokens.test!);
  });
  afterAll(async () => {
    await client?.close();
    await stop?.();
    home?.cleanup();
  });

  const call = (name: string, args: Record<string, unknown>) =>
    client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);

  it('lists only the tools whose effective action is not deny, under exposed names', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(['ev__echo', 'ev__get-sum', 'ev__get-tiny-image']);
  });

  it('forwards an allowed call and returns the upstream result unchanged', async () => {
    const result = await call('ev__echo', { message: 'hello there' });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello there' }]);
  });

  it('refuses an argument violation with the reason and the decision meta', async () => {
    const result = await call('ev__echo', { message: 'HELLO' });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text: expect.stringMatching(/^Gatehouse denied ev__echo: argument "message" /) as unknown,
      },
    ]);
    expect(result._meta?.['gatehouse/decision']).toMatchObject({
      decision: 'deny',
      status: 'invalid_args',
      rule: 'tools["echo"]',
    });
  });

  it('denies a denied tool even when called by name, with the rule reason', async () => {
    const result = await call('ev__get-env', {});
    expect(result.content).toEqual([
      { type: 'text', text: 'Gatehouse denied ev__get-env: environment is private' },
    ]);
    expect(result._meta?.['gatehouse/decision']).toMatchObject({ decision: 'deny', status: 'denied' });
  });

  it('denies a tool that no rule names, by the default policy', async () => {
    const result = await call('ev__get-structured-content', { location: 'New York' });
    expect(result.content).toEqual([
      { type: 'text', text: 'Gatehouse denied ev__get-structured-content: denied by the default policy' },
    ]);
    expect(result._meta?.['gatehouse/decision']).toMatchObject({
      decision: 'deny',
      status: 'denied',
      rule: 'default',
    });
  });

  it('rate-limits the third call in the window and says when to retry', async () => {
    expect((await call('ev__get-sum', { a: 1, b: 2 })).isError).toBeFalsy();
    expect((await call('ev__get-sum', { a: 1, b: 2 })).isError).toBeFalsy();
    const limited = await call('ev__get-sum', { a: 1, b: 2 });
    expect(limited.isError).toBe(true);
    const text = (limited.content[0] as { text: string }).text;
    expect(text).toMatch(
      /^Gatehouse denied ev__get-sum: rate limit "sums" reached \(2 per hour\); retry in \d+ s$/,
    );
    const meta = limited._meta?.['gatehouse/decision'] as { status: string; retryAfterSeconds: number };
    expect(meta.status).toBe('rate_limited');
    expect(meta.retryAfterSeconds).toBeGreaterThan(3500);
  });

  it('never runs an approve decision that nobody answers', async () => {
    const result = await call('ev__get-tiny-image', {});
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(
      /^Gatehouse denied ev__get-tiny-image: approval timed out after 1 s/,
    );
  });

  it('answers an unknown tool name with JSON-RPC -32602', async () => {
    await expect(call('ev__no-such-tool', {})).rejects.toMatchObject({ code: -32602 });
    await expect(call('echo', {})).rejects.toMatchObject({ code: -32602 });
  });

  it('has written every decision to the log, with the policy version, and outcomes after forwarding', () => {
    const { records } = readAllRecords(path.join(home.home, 'logs'));
    const byTool = (tool: string) => records.filter((r) => r.tool === tool);
    expect(
      byTool('echo')
        .map((r) => r.status)
        .sort(),
    ).toEqual(['invalid_args', 'ok']);
    expect(byTool('get-env')[0]).toMatchObject({
      decision: 'deny',
      status: 'denied',
      grant: 'test',
      server: 'ev',
    });
    expect(
      byTool('get-sum')
        .map((r) => r.status)
        .sort(),
    ).toEqual(['ok', 'ok', 'rate_limited']);
    for (const r of records) {
      expect(r.policyVersion).toMatch(/^[0-9a-f]{12}$/);
      expect(r.argsHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const files = fs.readdirSync(path.join(home.home, 'logs'));
    expect(files.every((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))).toBe(true);
  });
});
