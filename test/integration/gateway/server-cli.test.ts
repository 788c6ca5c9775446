// `gatehouse server add|list|remove|restart` as a user runs them, from another folder: on servers.json when no gateway
// runs, through the running gateway otherwise (it applies each change at once and knows each server's state).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, scratchpad } from '../../helpers/gateway-fixture.js';
import { EVERYTHING_JS } from '../../helpers/upstreams.js';

const scratch = scratchpad();
const gatehouse = (home: string, args: string[]) =>
  spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8', cwd: os.tmpdir() });
const servers = (home: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(home, 'servers.json'), 'utf8')) as {
      mcpServers: Record<string, unknown>;
    }
  ).mcpServers;

async function until<T>(read: () => T, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('gatehouse server', () => {
  it('edits servers.json when no gateway runs: add (stdio or URL), list with secrets masked, remove, and clear refusals', () => {
    const { home } = scratch.home();
    const add = gatehouse(home, ['server', 'add', 'ev', '--', process.execPath, EVERYTHING_JS, 'stdio']);
    expect(add.status).toBe(0);
    expect(add.stdout).toBe(`added server "ev" (stdio ${process.execPath} ${EVERYTHING_JS} stdio)\n`);
    const url = 'https://user:hunter22@example.test/mcp?token=abc123';
    expect(
      gatehouse(home, [
        'server',
        'add',
        'remote',
        '--url',
        url,
        '--header',
        'Authorization: Bearer sk-abcdefghijklmnopqrstuvwx',
      ]).status,
    ).toBe(0);
    expect(servers(home)).toEqual({
      ev: { command: process.execPath, args: [EVERYTHING_JS, 'stdio'] },
      remote: { url, headers: { Authorization: 'Bearer sk-abcdefghijklmnopqrstuvwx' } },
    });
    expect(fs.statSync(path.join(home, 'servers.json')).mode & 0o777).toBe(0o600);

    const list = gatehouse(home, ['server', 'list']);
    expect(list.stdout).toContain('ev\tnot started (no gateway is running)\tstdio ');
    expect(list.stdout).toContain('remote\tnot started');
    expect(list.stdout).not.toContain('hunter22');
    expect(list.stdout).not.toContain('abc123');

    const twice = gatehouse(home, ['server', 'add', 'ev', '--', 'node']);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toBe(
      'gatehouse: a server named "ev" already exists: choose another name, or remove it first (gatehouse server remove ev)\n',
    );
    expect(gatehouse(home, ['server', 'add', 'Not_Valid', '--', 'node']).stderr).toMatch(
      /server name "Not_Valid" is not valid/,
    );
    expect(gatehouse(home, ['server', 'add', 'none']).stderr).toMatch(/give the server to run/);
    expect(gatehouse(home, ['server', 'restart', 'ev']).stderr).toMatch(/no gateway is running/);

    expect(gatehouse(home, ['server', 'remove', 'remote']).stdout).toBe('removed server "remote"\n');
    expect(gatehouse(home, ['server', 'remove', 'remote']).stderr).toBe(
      'gatehouse: no server named "remote" (see: gatehouse server list)\n',
    );
    expect(Object.keys(servers(home))).toEqual(['ev']);
  });

  it('goes through the running gateway: a server added starts at once, a failing one says why, restart and remove', async () => {
    const { home } = scratch.home();
    await scratch.serve(home);
    expect(
      gatehouse(home, ['server', 'add', 'ev', '--', process.execPath, EVERYTHING_JS, 'stdio']).stdout,
    ).toMatch(/; the running gateway starts it now\n$/);
    await until(
      () => gatehouse(home, ['server', 'list']).stdout,
      (out) => /^ev\tready, \d+ tools\t/m.test(out),
      'ev never became ready',
    );
    gatehouse(home, ['server', 'add', 'broken', '--', '/nonexistent/command']);
    await until(
      () => gatehouse(home, ['server', 'list']).stdout,
      (out) => out.includes('broken\tfailed (command "/nonexistent/command" was not found'),
      'the failing server did not say why',
    );
    expect(gatehouse(home, ['server', 'restart', 'ev']).stdout).toBe('restarted server "ev"\n');
    expect(gatehouse(home, ['server', 'restart', 'nope']).stderr).toMatch(
      /^gatehouse: no server named "nope" \(see: gatehouse server list\)$/m,
    );
    expect(gatehouse(home, ['server', 'remove', 'broken']).status).toBe(0);
    const after = await until(
      () => gatehouse(home, ['server', 'list']).stdout,
      (out) => !out.includes('broken') && /^ev\tready/m.test(out),
      'remove was not applied',
    );
    expect(after.trim().split('\n')).toHaveLength(1);
  });
});
