// Decisions that hold: limits survive a restart (clean or SIGKILL), hot reload applies good policies and keeps the
// last good one in force when an edit is broken or the file is deleted.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  connectClient,
  everythingStdio,
  exitOf,
  scratchpad,
  startGateway,
  type ServeProcess,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const scratch = scratchpad();

const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
  client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);
const textOf = (r: { content: unknown[] }) => (r.content[0] as { text: string }).text;

async function untilCallable(client: Client, name: string) {
  const deadline = Date.now() + 20_000;
  while (!(await client.listTools()).tools.some((t) => t.name === name)) {
    if (Date.now() > deadline) throw new Error(`${name} never listed`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function eventually<T>(
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 1000,
): Promise<{ value: T; tookMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value)) return { value, tookMs: Date.now() - started };
    if (Date.now() - started > ms) return { value, tookMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('limits survive restarts', () => {
  const limitedHome = () =>
    scratch.home({
      servers: { ev: everythingStdio() },
      policy: {
        version: '1',
        default: 'allow',
        tools: { 'get-sum': { limits: [{ counter: 'sums', window: 'hour', max: 3, scope: 'grant' }] } },
      },
    });
  /** Serves the home and makes `n` calls, each of which passes. */
  async function serveAndCall(h: TestHome, n: number) {
    const served = await scratch.serve(h.home);
    const client = await connectClient(served.runtime.mcpUrl, h.tokens.test!);
    await untilCallable(client, 'ev__get-sum');
    for (let i = 0; i < n; i++)
      expect((await call(client, 'ev__get-sum', { a: i, b: 1 })).isError).toBeFalsy();
    return { served, client };
  }
  async function stop(h: TestHome, served: ServeProcess, signal: 'SIGTERM' | 'SIGKILL') {
    served.child.kill(signal);
    await exitOf(served.child);
    if (signal === 'SIGKILL') fs.rmSync(path.join(h.home, 'runtime.json'), { force: true });
  }
  async function expectLimited(client: Client) {
    const fourth = await call(client, 'ev__get-sum', { a: 1, b: 1 });
    expect(fourth.isError).toBe(true);
    expect(textOf(fourth)).toMatch(/rate limit "sums" reached \(3 per hour\); retry in \d+ s/);
    await client.close();
  }

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`a limit of 3/hour: 3 calls, ${signal}, restart, the 4th is limited`, async () => {
      const h = limitedHome();
      await stop(h, (await serveAndCall(h, 3)).served, signal);
      await expectLimited((await serveAndCall(h, 0)).client);
    });
  }

  it('a clean stop leaves a checkpoint; calls after it count from the log after a SIGKILL', async () => {
    const h = limitedHome();
    const checkpoint = path.join(h.home, 'state', 'counters.json');
    await stop(h, (await serveAndCall(h, 2)).served, 'SIGTERM');
    expect(fs.statSync(checkpoint).mode & 0o777).toBe(0o600);
    const atStop = fs.readFileSync(checkpoint, 'utf8');

    const second = await serveAndCall(h, 1);
    expect(second.served.stderr()).toMatch(
      /rate limits: restored 2 charges from the checkpoint of \S+ and 0 from the call log since/,
    );
    // The running gateway checkpoints every 10 s: on a slow machine the third call may be in a newer checkpoint.
    const tail = fs.readFileSync(checkpoint, 'utf8') === atStop ? [2, 1] : [3, 0];
    await stop(h, second.served, 'SIGKILL');

    const third = await serveAndCall(h, 0);
    expect(third.served.stderr()).toMatch(
      new RegExp(
        `restored ${tail[0]} charges from the checkpoint of \\S+ and ${tail[1]} from the call log since`,
      ),
    );
    await expectLimited(third.client);
  });
});

describe('hot reload', () => {
  async function setup() {
    const h = scratch.home({
      servers: { ev: everythingStdio() },
      policy: { version: '1', default: 'allow' },
    });
    const started = await startGateway(h, ['ev']);
    const client = await connectClient(started.runtime.mcpUrl, h.tokens.test!);
    const echo = () => call(client, 'ev__echo', { message: 'hi' });
    return {
      h,
      client,
      echo,
      diagnostics: started.diagnostics,
      stop: async () => {
        await client.close();
        await started.gateway.stop();
      },
    };
  }
  const denyEcho = JSON.stringify({
    version: '1',
    default: 'allow',
    tools: { echo: { action: 'deny', reason: 'echo is off' } },
  });

  it('applies a valid edit within a second, and each record names the policy version that decided it', async () => {
    const s = await setup();
    expect((await s.echo()).isError).toBeFalsy();
    s.h.write('policy.json', denyEcho);
    const { value, tookMs } = await eventually(s.echo, (r) => r.isError === true);
    expect(textOf(value)).toBe('Gatehouse denied ev__echo: echo is off');
    expect(tookMs).toBeLessThan(1000);
    const logs = path.join(s.h.home, 'logs');
    const lines = fs
      .readFileSync(path.join(logs, fs.readdirSync(logs)[0]!), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { policyVersion?: string; status: string });
    const versions = new Set(lines.filter((l) => l.policyVersion).map((l) => l.policyVersion));
    expect(versions.size).toBe(2);
    await s.stop();
  });

  it('picks up an editor-style save by rename', async () => {
    const s = await setup();
    const tmp = path.join(s.h.home, '.policy.json.swp');
    fs.writeFileSync(tmp, denyEcho);
    fs.renameSync(tmp, path.join(s.h.home, 'policy.json'));
    const { value } = await eventually(s.echo, (r) => r.isError === true);
    expect(textOf(value)).toBe('Gatehouse denied ev__echo: echo is off');
    await s.stop();
  });

  it('keeps the last good policy on invalid JSON, an invalid schema and a deleted file, and says so', async () => {
    const s = await setup();
    s.h.write('policy.json', denyEcho);
    await eventually(s.echo, (r) => r.isError === true);
    for (const broken of [
      '{"version": "1", "default": ',
      JSON.stringify({ version: '1', default: 'allow', tools: { echo: { action: 'permit' } } }),
    ]) {
      const before = s.diagnostics.length;
      s.h.write('policy.json', broken);
      const { value: reported } = await eventually(
        async () => s.diagnostics.slice(before).join('\n'),
        (t) => t.includes('still enforcing'),
      );
      expect(reported).toContain('still enforcing the last good policy');
      expect(textOf(await s.echo())).toBe('Gatehouse denied ev__echo: echo is off');
    }
    const before = s.diagnostics.length;
    fs.rmSync(path.join(s.h.home, 'policy.json'));
    const { value: reported } = await eventually(
      async () => s.diagnostics.slice(before).join('\n'),
      (t) => t.includes('deleted'),
    );
    expect(reported).toMatch(/was deleted; still enforcing the last good policy/);
    expect(textOf(await s.echo())).toBe('Gatehouse denied ev__echo: echo is off');
    await s.stop();
  });

  it('follows a policy that is a symlink into a git checkout, across a commit that replaces the file', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-repo-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'policy.json'), JSON.stringify({ version: '1', default: 'allow' }));
    git('add', '.');
    git('commit', '-qm', 'allow');
    fs.writeFileSync(path.join(repo, 'policy.json'), denyEcho);
    git('commit', '-qam', 'deny echo');
    git('checkout', '-q', 'HEAD~1');
    const h = scratch.home({ servers: { ev: everythingStdio() } });
    fs.rmSync(path.join(h.home, 'policy.json'));
    fs.symlinkSync(path.join(repo, 'policy.json'), path.join(h.home, 'policy.json'));
    const started = await startGateway(h, ['ev']);
    const client = await connectClient(started.runtime.mcpUrl, h.tokens.test!);
    expect((await call(client, 'ev__echo', { message: 'a' })).isError).toBeFalsy();
    git('checkout', '-q', '-');
    const { value } = await eventually(
      () => call(client, 'ev__echo', { message: 'b' }),
      (r) => r.isError === true,
      2000,
    );
    expect(textOf(value)).toBe('Gatehouse denied ev__echo: echo is off');
    await client.close();
    await started.gateway.stop();
    fs.rmSync(repo, { recursive: true, force: true });
  });
});

describe('redaction', () => {
  it('leaves no trace of a ghp_ or sk- token, or of an api_key argument, in any log file', async () => {
    const h = scratch.home({
      servers: { ev: everythingStdio() },
      policy: { version: '1', default: 'allow', tools: { 'get-sum': { action: 'deny' } } },
    });
    const s = await scratch.serve(h.home);
    const client = await connectClient(s.runtime.mcpUrl, h.tokens.test!);
    await untilCallable(client, 'ev__echo');
    const gh = `ghp_${'Z9'.repeat(18)}`;
    const sk = `sk-proj-${'q7'.repeat(16)}`;
    const key = 'plain-looking-key-value-12345';
    expect(textOf(await call(client, 'ev__echo', { message: `use ${gh} then ${sk}` }))).toContain(gh);
    await call(client, 'ev__get-sum', { a: 1, b: 2, api_key: key });
    await call(client, 'ev__echo', { message: 'x', api_key: key });
    await client.close();
    s.child.kill('SIGTERM');
    await exitOf(s.child);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(h.home);
    expect(files.some((f) => f.includes(`${path.sep}logs${path.sep}`))).toBe(true);
    for (const file of files) {
      const bytes = fs.readFileSync(file, 'utf8');
      for (const secret of [gh, sk, key]) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });
});
