// `gatehouse approvals [--watch]` as a person uses it: in a pseudo-terminal (util-linux `script`), the CLI in raw
// mode, keys typed one by one. Each answer releases the agent's waiting call and is recorded as given in a terminal.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { createClient } from '../../../shared/api/client.js';
import {
  CLI,
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const execFileAsync = promisify(execFile);

const POLICY = JSON.stringify({
  version: '1',
  default: 'allow',
  tools: { echo: { action: 'approve' }, 'get-sum': { action: 'approve' } },
});

/** The CLI in a pseudo-terminal: what it printed so far, and keys typed into it. */
function inTerminal(home: string, args: string[]) {
  const command = [process.execPath, CLI, '--home', home, 'approvals', ...args]
    .map((part) => `'${part}'`)
    .join(' ');
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: os.tmpdir(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => output,
    type: (keys: string) => child.stdin!.write(keys),
    exited,
    kill: () => child.kill('SIGKILL'),
    async until(text: string | RegExp, from = 0): Promise<void> {
      const deadline = Date.now() + 15_000;
      const seen = () => {
        const rest = output.slice(from);
        return typeof text === 'string' ? rest.includes(text) : text.test(rest);
      };
      while (!seen()) {
        if (Date.now() > deadline) throw new Error(`never printed ${String(text)}; printed:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

describe('gatehouse approvals', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  let agent: Client;
  const admin = () => createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
  const callTool = (name: string, args: Record<string, unknown>) =>
    agent.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema, {
      timeout: 60_000,
    }) as Promise<CallToolResult>;
  const call = (message: string) => callTool('ev__echo', { message });
  const waiting = async () => (await admin().listApprovals({})).approvals;
  const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;
  const pending = async (count: number) => {
    const deadline = Date.now() + 15_000;
    while ((await waiting()).length < count) {
      if (Date.now() > deadline) throw new Error(`${count} approvals never appeared`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: POLICY });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
    agent = await connectClient(runtime.mcpUrl, home.tokens.test!);
  });
  afterAll(async () => {
    await agent?.close();
    await gateway?.stop();
    home?.cleanup();
  });

  it('says so when nothing waits, and names the missing gateway', async () => {
    // Run asynchronously: the gateway answering it lives in this process.
    const none = await execFileAsync(process.execPath, [CLI, '--home', home.home, 'approvals']);
    expect(none).toEqual({ stdout: 'No approvals waiting.\n', stderr: '' });
    const nowhere = await execFileAsync(process.execPath, [
      CLI,
      '--home',
      path.join(home.home, 'none'),
      'approvals',
    ]).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(nowhere?.code).toBe(1);
    expect(nowhere?.stderr).toMatch(/no gateway is running on .*: start one with "gatehouse serve"/);
  });

  it('shows each request in full and answers by key: d denies, a approves, s skips; then it ends', async () => {
    const denied = call('rm -rf /\u202e');
    await pending(1);
    const approved = call('second');
    await pending(2);
    const skipped = call('third');
    await pending(3);
    const cli = inTerminal(home.home, []);
    await cli.until('[a] approve once');
    const first = cli.output();
    expect(first).toContain('Approval request (1 of 3 waiting) — test wants ev__echo (server ev, tool echo)');
    expect(first).toContain('"message": "rm -rf /⟦U+202E⟧"');
    expect(first).not.toContain('\u202e');
    expect(first).toMatch(/the client waits \d+ s more/);
    // Typed at once, a key answers nothing: the request must be on screen for a second first.
    cli.type('a');
    await new Promise((r) => setTimeout(r, 1100));
    cli.type('d');
    await cli.until('→ denied');
    expect(text(await denied)).toBe(
      'Gatehouse denied ev__echo: rejected by the user in a terminal (gatehouse approvals)',
    );
    await cli.until(/\[a\] approve once[^]*\[a\] approve once/);
    expect(cli.output().split('→ denied')[1]).toContain('"message": "second"');
    await new Promise((r) => setTimeout(r, 1100));
    cli.type('a');
    await cli.until('→ approved once');
    expect(text(await approved)).toBe('Echo: second');
    await cli.until(/→ approved once[^]*\[a\] approve once/);
    expect(cli.output().split('→ approved once')[1]).toContain('"message": "third"');
    await new Promise((r) => setTimeout(r, 1100));
    cli.type('s');
    await cli.until('→ skipped');
    expect(await cli.exited).toBe(0);
    const left = await waiting();
    expect(left).toHaveLength(1);
    await admin().answerApproval({ id: left[0]!.id, decision: 'deny' });
    await skipped;
    const records = readAllRecords(path.join(home.home, 'logs')).records;
    expect(
      records.find((r) => r.status === 'rejected' && r.reason?.includes('terminal'))?.approval,
    ).toMatchObject({
      by: 'the user',
      via: 'terminal',
    });
  });

  it('--watch follows new requests, says when one is answered elsewhere, and q quits', async () => {
    const cli = inTerminal(home.home, ['--watch']);
    await cli.until('Waiting for approval requests');
    const later = call('later');
    await cli.until('"message": "later"');
    await new Promise((r) => setTimeout(r, 1100));
    cli.type('1');
    await cli.until('→ approved for 15 minutes');
    expect(text(await later)).toBe('Echo: later');
    // Remembered for 15 minutes: the next call of the same tool by the same client passes without asking.
    expect(text(await call('again'))).toBe('Echo: again');

    const before = cli.output().length;
    const other = callTool('ev__get-sum', { a: 1, b: 2 });
    await cli.until('wants ev__get-sum', before);
    const [asked] = await waiting();
    await admin().answerApproval({ id: asked!.id, decision: 'deny', via: 'dashboard' });
    await cli.until('→ denied by the user in the dashboard elsewhere', before);
    expect(text(await other)).toBe('Gatehouse denied ev__get-sum: rejected by the user in the dashboard');
    cli.type('q');
    expect(await cli.exited).toBe(0);
  });
});
