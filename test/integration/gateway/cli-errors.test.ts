// Every CLI error as a user meets it, from another working directory: one line on stderr naming the problem and the
// fix, exit 1 — never silent, never a stack trace. --help and --version exit 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, scratchpad } from '../../helpers/gateway-fixture.js';

const scratch = scratchpad();
const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cwd-'));
afterAll(() => fs.rmSync(elsewhere, { recursive: true, force: true }));

function gatehouse(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: elsewhere, encoding: 'utf8', timeout: 20_000 });
}

/** One line on stderr, matching `expected`, exit 1. */
function expectError(args: string[], expected: RegExp) {
  const res = gatehouse(args);
  expect({ args, status: res.status }).toEqual({ args, status: 1 });
  expect(res.stderr).toMatch(/^gatehouse: [^\n]+\n$/);
  expect(res.stderr).toMatch(expected);
  expect(res.stderr).not.toMatch(/\n\s+at /);
}

describe('gatehouse: usage errors (commander) with the command’s help hint', () => {
  it('a port that is not one', () => {
    for (const port of ['abc', '70000', '-1', '1.5', '0x10', '']) {
      expectError(
        ['serve', '--home', scratch.home().home, '--port', port],
        new RegExp(
          `^gatehouse: option '--port <n>' argument '${port.replace('.', '\\.')}' is invalid\\. Give a whole number from 0 to 65535 \\(0 picks a free port\\) \\(see: gatehouse serve --help\\)$`,
          'm',
        ),
      );
    }
  });

  it('an unknown option, a missing argument or option, an unknown command', () => {
    expectError(
      ['serve', '--bogus'],
      /^gatehouse: unknown option '--bogus' \(see: gatehouse serve --help\)$/m,
    );
    expectError(
      ['grant', 'add'],
      /^gatehouse: missing required argument 'name' \(see: gatehouse grant add --help\)$/m,
    );
    expectError(
      ['bridge'],
      /required option '--grant <name>' not specified \(see: gatehouse bridge --help\)$/m,
    );
    expectError(['frob'], /^gatehouse: unknown command 'frob' \(see: gatehouse --help\)$/m);
    expectError(['sevre'], /unknown command 'sevre' \(Did you mean serve\?\) \(see: gatehouse --help\)$/m);
    expectError(['grant', 'frob'], /unknown command 'frob' \(see: gatehouse grant --help\)$/m);
    expectError(['server', 'add', 'x', '--url', 'notaurl'], /Give an http:\/\/ or https:\/\/ URL/);
    expectError(
      ['server', 'add', 'x', '--url', 'http://a', '--header', 'foo'],
      /argument 'foo' is invalid\. Give NAME:VALUE/,
    );
  });

  it('--help and --version exit 0', () => {
    for (const args of [['--help'], ['--version'], ['serve', '--help'], ['grant', 'add', '--help']]) {
      const res = gatehouse(args);
      expect({ args, status: res.status, stderr: res.stderr }).toEqual({ args, status: 0, stderr: '' });
      expect(res.stdout).not.toBe('');
    }
  });
});

describe('gatehouse: files and folders', () => {
  it('a policy file that does not exist or is a folder', () => {
    const h = scratch.home().home;
    const missing = path.join(elsewhere, 'nope.json');
    expectError(
      ['serve', '--home', h, '--policy', 'nope.json'],
      new RegExp(`${missing} does not exist: give the path of a policy file`),
    );
    expectError(
      ['serve', '--home', h, '--policy', elsewhere],
      new RegExp(`${elsewhere} is a folder: give the policy file in it`),
    );
    expectError(['policy', 'check', 'nope.json'], new RegExp(`${missing} does not exist`));
    expectError(['policy', 'check', elsewhere], /is a folder/);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('a home that cannot be created or read: a file stands in its place', () => {
    const file = path.join(elsewhere, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const useAnother = /use another home folder \(--home DIR or GATEHOUSE_HOME\)/;
    for (const args of [
      ['--home', file, 'serve', '--port', '0'],
      ['--home', path.join(file, 'h'), 'serve', '--port', '0'],
      ['--home', path.join(file, 'h'), 'grant', 'add', 'x'],
      ['--home', file, 'grant', 'list'],
      ['--home', file, 'server', 'list'],
      ['--home', path.join(file, 'h'), 'pause'],
      ['--home', file, 'bridge', '--grant', 'x'],
    ]) {
      expectError(args, useAnother);
    }
  });

  it('a broken runtime.json', () => {
    const h = scratch.home();
    h.write('runtime.json', '{broken');
    expectError(
      ['--home', h.home, 'dashboard'],
      /runtime\.json: is not valid JSON .*; fix the file or move it aside$/m,
    );
  });
});

describe('gatehouse: the gateway and what it holds', () => {
  it('no gateway running, or one that does not answer', () => {
    const h = scratch.home();
    expectError(
      ['--home', h.home, 'dashboard'],
      /no gateway is running on .*: start one with "gatehouse serve"/,
    );
    expectError(['--home', h.home, 'approvals'], /no gateway is running on/);
    expectError(
      ['--home', h.home, 'server', 'restart', 'x'],
      /no gateway is running on .*: start one with "gatehouse serve"/,
    );
    // A live pid (this test's) and a port nothing listens on.
    const runtime = {
      pid: process.pid,
      port: 9,
      mcpUrl: 'http://127.0.0.1:9/mcp',
      controlUrl: 'http://127.0.0.1:9/api',
      dashboardUrl: 'http://127.0.0.1:9/',
      adminToken: 'x',
    };
    h.write('runtime.json', runtime);
    expectError(
      ['--home', h.home, 'dashboard'],
      /the gateway cannot be reached .*: if the gateway of .* has stopped, start it again with "gatehouse serve"$/m,
    );
  });

  it('an unknown grant or server', () => {
    const h = scratch.home().home;
    expectError(
      ['--home', h, 'grant', 'revoke', 'nobody'],
      /^gatehouse: no grant named "nobody" \(see: gatehouse grant list\)$/m,
    );
    expectError(
      ['--home', h, 'server', 'remove', 'nobody'],
      /^gatehouse: no server named "nobody" \(see: gatehouse server list\)$/m,
    );
  });

  it('a port in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      expectError(
        ['--home', scratch.home().home, 'serve', '--port', String(port)],
        new RegExp(
          `port ${port} on 127\\.0\\.0\\.1 is already in use; stop what uses it, or choose another port with --port N`,
        ),
      );
    } finally {
      blocker.close();
    }
  });
});
