// Connecting on real files in a temporary folder: connect then undo gives back the original byte for byte, twice
// changes nothing, every server lands in servers.json with its env, and bad input is refused with nothing changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyConnect,
  prepareConnect,
  undoConnect,
  type ConnectRequest,
} from '../../../electron/gateway/clients/connect.js';
import type { ClientName } from '../../../electron/gateway/clients/locations.js';
import { readGrants } from '../../../electron/gateway/grants/store.js';
import { homePaths } from '../../../electron/gateway/home/paths.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/clients');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    fs.chmodSync(dir, 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function setup(client: ClientName, fixture: string, more: Partial<ConnectRequest> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-connect-'));
  dirs.push(dir);
  const file = path.join(dir, 'client', path.basename(fixture));
  fs.mkdirSync(path.dirname(file));
  fs.copyFileSync(path.join(FIXTURES, fixture), file);
  const paths = homePaths(path.join(dir, 'home'));
  const request: ConnectRequest = {
    client,
    configPath: file,
    paths,
    launcher: { command: process.execPath, args: ['/opt/gatehouse/bin/gatehouse.js', 'bridge'] },
    homeArgs: ['--home', paths.home],
    perServer: false,
    noImport: false,
    bridge: false,
    ...more,
  };
  const original = fs.readFileSync(file, 'utf8');
  const servers = () =>
    (JSON.parse(fs.readFileSync(paths.servers, 'utf8')) as { mcpServers: Record<string, unknown> })
      .mcpServers;
  return { dir, file, paths, request, original, servers, text: () => fs.readFileSync(file, 'utf8') };
}

describe('connect and undo on files', () => {
  it.each([
    ['claude', 'claude_desktop_config.json'],
    ['cursor', 'cursor-mcp.json'],
    ['vscode', 'vscode-mcp.json'],
    ['claude-code', 'claude-code.json'],
  ] as const)(
    '%s: connect, connect again (nothing), undo → the original byte for byte',
    (client, fixture) => {
      const t = setup(client, fixture);
      const done = applyConnect(prepareConnect(t.request), true, new Date('2026-12-07T06:00:00.000Z'));
      expect(done.backup).toBe(`${t.file}.gatehouse-backup-2026-12-07T06-00-00-000Z`);
      expect(fs.readFileSync(done.backup!, 'utf8')).toBe(t.original);
      expect(fs.statSync(done.backup!).mode & 0o777).toBe(0o600);
      expect(t.text()).not.toBe(t.original);
      expect(Object.keys(t.servers()).length).toBeGreaterThan(0);
      expect(readGrants(t.paths.grants).map((g) => g.name)).toEqual([client]);
      expect(done.policyWritten).toBe(true);

      const connected = t.text();
      const again = prepareConnect(t.request);
      expect(again.plan.changed).toBe(false);
      expect(applyConnect(again, true)).toEqual({ grantCreated: false, policyWritten: false });
      expect(t.text()).toBe(connected);

      const undone = undoConnect(client, t.file, t.paths);
      expect(undone.backup).toBe(done.backup);
      expect(t.text()).toBe(t.original);
      // A URL client's token was only in that config: its grant goes with it, so connecting again works.
      expect(readGrants(t.paths.grants).map((g) => g.name)).toEqual(client === 'claude' ? ['claude'] : []);
      expect(prepareConnect(t.request).plan.changed).toBe(true);
    },
  );

  it('imports every server with its env, exactly', () => {
    const t = setup('claude', 'claude_desktop_config.json');
    applyConnect(prepareConnect(t.request), false);
    const source = JSON.parse(t.original) as { mcpServers: Record<string, unknown> };
    expect(t.servers()).toEqual({
      filesystem: source.mcpServers.filesystem,
      'github-tools': source.mcpServers.GitHub_Tools,
      'windows-db': source.mcpServers['windows-db'],
    });
    expect(fs.statSync(t.paths.servers).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(t.paths.policy, 'utf8')).toBe('{\n  "version": "1",\n  "default": "approve"\n}\n');
  });

  it('refuses a broken, a read-only or a changed-while-editing config, and changes nothing', () => {
    const broken = setup('claude', 'claude_desktop_config.json');
    fs.writeFileSync(broken.file, '{ "mcpServers": ');
    expect(() => prepareConnect(broken.request)).toThrow(/is not valid JSON .*Nothing was changed\./);
    expect(broken.text()).toBe('{ "mcpServers": ');

    const readOnly = setup('cursor', 'cursor-mcp.json');
    fs.chmodSync(readOnly.file, 0o444);
    expect(() => prepareConnect(readOnly.request)).toThrow(/is read-only\. Make it writable \(chmod u\+w/);
    expect(readOnly.text()).toBe(readOnly.original);

    const raced = setup('cursor', 'cursor-mcp.json');
    const prepared = prepareConnect(raced.request);
    fs.appendFileSync(raced.file, '\n');
    expect(() => applyConnect(prepared, true)).toThrow(/changed while Gatehouse was editing it/);
    expect(raced.text()).toBe(`${raced.original}\n`);
    expect(fs.readdirSync(path.dirname(raced.file))).toEqual(['cursor-mcp.json']);
    expect(raced.servers()).toEqual({});
    expect(readGrants(raced.paths.grants)).toEqual([]);
  });

  it('a write that fails takes back what the run did (servers, grant, backup) and says what to check', () => {
    const t = setup('claude', 'claude_desktop_config.json');
    const prepared = prepareConnect(t.request);
    fs.rmSync(t.file);
    fs.mkdirSync(t.file); // what stood there can no longer be read or replaced
    expect(() => applyConnect(prepared, true)).toThrow(
      /cannot write beside or over .* \(EISDIR.*\)\. Check that you may write to .*, and run again\. Nothing was changed\./,
    );
    expect(t.servers()).toEqual({});
    expect(readGrants(t.paths.grants)).toEqual([]);
    expect(fs.readdirSync(path.dirname(t.file))).toEqual([path.basename(t.file)]);
    expect(fs.readFileSync(t.paths.policy, 'utf8')).toBe('{\n  "version": "1",\n  "default": "approve"\n}\n');
  });

  it('edits the real file behind a symlink; the backup sits beside the link', () => {
    const t = setup('cursor', 'cursor-mcp.json');
    const link = path.join(t.dir, 'link.json');
    fs.symlinkSync(t.file, link);
    const done = applyConnect(prepareConnect({ ...t.request, configPath: link }), false);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(t.text()).toContain('"gatehouse"');
    expect(done.backup!.startsWith(`${link}.gatehouse-backup-`)).toBe(true);
    undoConnect('cursor', link, t.paths);
    expect(t.text()).toBe(t.original);
  });

  it('creates a missing config in an existing folder, and undo removes it again; a missing folder is refused', () => {
    const t = setup('cursor', 'cursor-mcp.json');
    fs.rmSync(t.file);
    const done = applyConnect(prepareConnect(t.request), false);
    expect(Object.keys(JSON.parse(t.text()).mcpServers)).toEqual(['gatehouse']);
    expect(fs.readFileSync(done.backup!, 'utf8')).toBe('');
    expect(undoConnect('cursor', t.file, t.paths).removed).toBe(true);
    expect(fs.existsSync(t.file)).toBe(false);
    const nowhere = { ...t.request, configPath: path.join(t.dir, 'no-such-app', 'mcp.json') };
    expect(() => prepareConnect(nowhere)).toThrow(/no-such-app does not exist: is the client installed\?/);
  });

  it('undo refuses when the config changed since in a way undo would lose, naming the backup', () => {
    const t = setup('claude', 'claude_desktop_config.json');
    const done = applyConnect(prepareConnect(t.request), false);
    const changed = t.text().replace('"mcpServers": {', '"mcpServers": {\n    "later": { "command": "x" },');
    fs.writeFileSync(t.file, changed);
    expect(() => undoConnect('claude', t.file, t.paths)).toThrow(
      `undo would lose: server "later", added after connect. The original is kept in ${done.backup}`,
    );
    expect(t.text()).toBe(changed);
  });

  it('undo puts only the servers back when the client changed its other settings since (Claude Code does)', () => {
    const t = setup('claude-code', 'claude-code.json');
    applyConnect(prepareConnect(t.request), false);
    const original = JSON.parse(t.original) as Record<string, unknown>;
    const connected = JSON.parse(t.text()) as Record<string, unknown>;
    const rewritten = JSON.stringify({ ...connected, numStartups: 99, tipsHistory: { a: 1 } }, null, 2);
    fs.writeFileSync(t.file, rewritten);
    const undone = undoConnect('claude-code', t.file, t.paths);
    expect(undone.keptChanges).toEqual(expect.arrayContaining(['"numStartups", changed after connect']));
    const after = JSON.parse(t.text()) as Record<string, unknown>;
    expect(after.mcpServers).toEqual(original.mcpServers);
    expect(after.numStartups).toBe(99);
    expect(after.tipsHistory).toEqual({ a: 1 });
  });

  it('an existing grant whose token cannot be read back is not silently replaced', () => {
    const t = setup('cursor', 'cursor-mcp.json');
    applyConnect(prepareConnect({ ...t.request, noImport: true }), false);
    fs.copyFileSync(path.join(FIXTURES, 'cursor-mcp.json'), t.file);
    expect(() => prepareConnect(t.request)).toThrow(/a grant named "cursor" exists already.*--bridge/);
    const bridged = prepareConnect({ ...t.request, bridge: true });
    expect(bridged.plan.changed).toBe(true);
    expect(bridged.target.kind).toBe('bridge');
  });
});
