// `gatehouse serve` and `gatehouse grant` as a user runs them: ready line, runtime.json, the home lock, signals.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  CLI,
  connectClient,
  everythingStdio,
  exitOf,
  isAlive,
  scratchpad,
  type HomeSpec,
} from '../../helpers/gateway-fixture.js';

const scratch = scratchpad();
const home = (spec: HomeSpec = {}) => scratch.home(spec);
const serve = (dir: string, args?: string[]) => scratch.serve(dir, args);
const gatehouse = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('gatehouse serve', () => {
  it('prints exactly the ready line and writes runtime.json (0600) matching it', async () => {
    const h = home();
    const s = await serve(h.home);
    const m =
      /^gatehouse ready mcp=(http:\/\/127\.0\.0\.1:(\d+)\/mcp) dashboard=http:\/\/127\.0\.0\.1:(\d+)\/#login=([A-Za-z0-9_-]+)$/.exec(
        s.readyLine,
      );
    expect(m, s.readyLine).not.toBeNull();
    expect(m![2]).toBe(m![3]);
    const runtimeFile = path.join(h.home, 'runtime.json');
    expect(fs.statSync(runtimeFile).mode & 0o777).toBe(0o600);
    expect(s.runtime).toMatchObject({
      pid: s.child.pid,
      port: Number(m![2]),
      mcpUrl: m![1],
      controlUrl: `http://127.0.0.1:${m![2]}/api`,
      dashboardUrl: `http://127.0.0.1:${m![2]}/`,
    });
    expect(s.runtime.adminToken.length).toBeGreaterThanOrEqual(32);
  });

  it('creates a starter policy and servers.json in an empty home', async () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(home().home), 'gatehouse-empty-'));
    scratch.adopt({
      home: dir,
      tokens: {},
      write: () => undefined,
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    });
    await serve(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'policy.json'), 'utf8'))).toEqual({
      version: '1',
      default: 'approve',
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'servers.json'), 'utf8'))).toEqual({ mcpServers: {} });
    expect(fs.statSync(path.join(dir, 'servers.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'logs')).mode & 0o777).toBe(0o700);
  });

  it('refuses a second gateway on the same home, naming the first one’s pid', async () => {
    const h = home();
    const first = await serve(h.home);
    const second = gatehouse(['serve', '--home', h.home, '--port', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
  });

  it('fails clearly when the port is busy', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const h = home();
      const res = gatehouse(['serve', '--home', h.home, '--port', String(port)]);
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`port ${port}`);
      expect(res.stderr).toContain('already in use');
    } finally {
      blocker.close();
    }
  });

  it('refuses to start on an invalid policy, naming the path of the problem', async () => {
    const h = home({ policy: { version: '1', default: 'maybe' } });
    const res = gatehouse(['serve', '--home', h.home, '--port', '0']);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('default');
  });

  it('stops on SIGTERM within 2 s with exit 0, removes runtime.json and stops its upstreams', async () => {
    const h = home({ servers: { ev: everythingStdio() } });
    const s = await serve(h.home);
    const client = await connectClient(s.runtime.mcpUrl, h.tokens.test!);
    await waitForTools(client, 1);
    const children = childPids(s.child.pid!);
    expect(children.length).toBeGreaterThan(0);
    const started = Date.now();
    s.child.kill('SIGTERM');
    s.child.kill('SIGTERM'); // a repeated signal is harmless
    const exit = await exitOf(s.child);
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(fs.existsSync(path.join(h.home, 'runtime.json'))).toBe(false);
    // The watchdog ends when the gateway's pipe closes, a moment after the gateway itself.
    const deadline = Date.now() + 1000;
    while (children.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(children.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
  });

  it('leaves no upstream process behind when it is SIGKILLed', async () => {
    const h = home({ servers: { ev: everythingStdio(), ev2: everythingStdio() } });
    const s = await serve(h.home);
    const client = await connectClient(s.runtime.mcpUrl, h.tokens.test!);
    await waitForTools(client, 2);
    const children = childPids(s.child.pid!).filter((p) => isAlive(p));
    expect(children.length).toBeGreaterThanOrEqual(2);
    s.child.kill('SIGKILL');
    await exitOf(s.child);
    const deadline = Date.now() + 5000;
    while (children.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(children.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
  });

  it('loses no decision when SIGKILLed after 1,000 calls, and a torn last line does not break reading', async () => {
    const h = home({ servers: { ev: everythingStdio() } });
    const s = await serve(h.home);
    const client = await connectClient(s.runtime.mcpUrl, h.tokens.test!);
    await waitForTools(client, 1);
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const r = await client.request(
        { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: `m${i}` } } },
        CallToolResultSchema,
      );
      expect(r.isError).toBeFalsy();
      ids.add(`m${i}`);
    }
    s.child.kill('SIGKILL');
    await exitOf(s.child);
    const logs = path.join(h.home, 'logs');
    const file = path.join(logs, fs.readdirSync(logs)[0]!);
    fs.appendFileSync(file, '{"id":"torn","ts":"2026-');
    const { readAllRecords } = await import('../../../electron/gateway/log/reader.js');
    const { records, skippedLines } = readAllRecords(logs);
    const logged = new Set(records.map((r) => (r.arguments as { message: string }).message));
    for (const id of ids) expect(logged.has(id), id).toBe(true);
    expect(records.every((r) => r.decision === 'allow')).toBe(true);
    expect(skippedLines).toBe(1);
  }, 120_000);
});

describe('gatehouse grant', () => {
  it('adds (token on the last line, only its hash stored), lists and revokes', () => {
    const h = home({ grants: [] });
    const add = gatehouse(['grant', 'add', 'cursor', '--home', h.home]);
    expect(add.status).toBe(0);
    const token = add.stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^gh_[A-Za-z0-9_-]{40,}$/);
    const stored = fs.readFileSync(path.join(h.home, 'grants.json'), 'utf8');
    expect(stored).not.toContain(token);
    expect(fs.statSync(path.join(h.home, 'grants.json')).mode & 0o777).toBe(0o600);
    expect(gatehouse(['grant', 'list', '--home', h.home]).stdout).toMatch(/^cursor\t\d{4}-/);
    expect(gatehouse(['grant', 'add', 'cursor', '--home', h.home]).status).toBe(1);
    expect(gatehouse(['grant', 'revoke', 'cursor', '--home', h.home]).status).toBe(0);
    const again = gatehouse(['grant', 'revoke', 'cursor', '--home', h.home]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('no grant named "cursor"');
  });

  it('a running gateway honours a new grant at once and a revoke ends its live sessions', async () => {
    const h = home({ grants: [] });
    const s = await serve(h.home);
    const token = execFileSync(process.execPath, [CLI, 'grant', 'add', 'late', '--home', h.home], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop()!;
    const client = await connectClient(s.runtime.mcpUrl, token);
    await client.listTools();
    gatehouse(['grant', 'revoke', 'late', '--home', h.home]);
    const deadline = Date.now() + 3000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await client.listTools().then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused).toBe(true);
    await expect(connectClient(s.runtime.mcpUrl, token)).rejects.toThrow();
  });
});

describe('gatehouse dashboard, pause and resume: the control API of the running gateway', () => {
  it('prints a fresh login URL, pauses and resumes, and names the status of a refused request', async () => {
    const h = home();
    const s = await serve(h.home);
    const dashboard = gatehouse(['dashboard', '--home', h.home]);
    expect(dashboard.status, dashboard.stderr).toBe(0);
    expect(dashboard.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#login=[A-Za-z0-9_-]+\n$/);
    expect(dashboard.stdout.trim()).not.toBe(s.readyLine.split('dashboard=')[1]);
    expect(gatehouse(['pause', '--home', h.home]).stdout).toBe('paused: calls go to approve\n');
    expect(gatehouse(['resume', '--home', h.home]).stdout).toBe('resumed\n');

    const runtimeFile = path.join(h.home, 'runtime.json');
    fs.writeFileSync(runtimeFile, JSON.stringify({ ...s.runtime, adminToken: 'not-the-token' }));
    const refused = gatehouse(['dashboard', '--home', h.home]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^gatehouse: the gateway answered 401: Unauthorized/);
  });
});

async function waitForTools(client: Awaited<ReturnType<typeof connectClient>>, servers: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { tools } = await client.listTools();
    const prefixes = new Set(tools.map((t) => t.name.split('__')[0]));
    if (prefixes.size >= servers) return tools;
    if (Date.now() > deadline) throw new Error('upstream tools did not appear');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 200);
  } catch {
    return '(gone)';
  }
}

/** Pids of the direct children of a process (Linux /proc). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}
