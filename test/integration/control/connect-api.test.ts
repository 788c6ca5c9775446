// The Connect view's routes against a real `gatehouse serve` whose HOME is a temporary folder holding each client's
// fixture config: list, preview (no token or env value in any answer), connect (servers imported, every other byte
// kept), again (nothing changes), undo (byte for byte), a stale preview (409), an unknown client (400).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OperationOutput } from '../../../shared/api/operations.js';
import { REPO_ROOT, scratchpad, type ServeProcess } from '../../helpers/gateway-fixture.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'clients');
const STARTER = '{"version":"1","default":"approve"}\n';
const scratch = scratchpad();
let user: string;
let serve: ServeProcess;
let gatehouseHome: string;

/** Where each client keeps its config under a Linux HOME, and the fixture put there. */
const CONFIGS = {
  claude: ['.config/Claude/claude_desktop_config.json', 'claude_desktop_config.json'],
  cursor: ['.cursor/mcp.json', 'cursor-mcp.json'],
  vscode: ['.config/Code/User/mcp.json', 'vscode-mcp.json'],
  'claude-code': ['.claude.json', 'claude-code.json'],
} as const;
const configOf = (client: keyof typeof CONFIGS) => path.join(user, CONFIGS[client][0]);
const read = (file: string) => fs.readFileSync(file, 'utf8');

/** Every env and header value of the fixtures (variables such as ${input:…} aside): none may leave the gateway. */
function fixtureSecrets(): string[] {
  const found: string[] = [];
  const walk = (value: unknown, secret: boolean) => {
    if (typeof value === 'string') {
      if (secret && !value.includes('${') && value.length >= 4) found.push(value);
    } else if (typeof value === 'object' && value !== null)
      for (const [key, v] of Object.entries(value)) walk(v, secret || key === 'env' || key === 'headers');
  };
  for (const [, fixture] of Object.values(CONFIGS)) {
    const text = read(path.join(FIXTURES, fixture))
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/\/\*.*?\*\//g, '');
    walk(JSON.parse(text.replace(/,(\s*[}\]])/g, '$1')), false);
  }
  return found;
}

/** An answer's JSON, read loosely: each test checks the fields it needs. */
type Answer = Record<string, unknown> & {
  error?: string;
  hash?: string;
  backup?: string;
  clients?: OperationOutput<'listClientConfigs'>['clients'];
  servers?: { name: string }[];
  grants?: { name: string }[];
  imports?: OperationOutput<'previewConnect'>['imports'];
  diff?: string;
  warnings?: string[];
  startingPolicy?: { allowed: string[] } & string;
};

async function api(route: string, body?: unknown): Promise<{ status: number; text: string; json: Answer }> {
  const res = await fetch(`${serve.runtime.controlUrl}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${serve.runtime.adminToken}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

function expectNoSecret(text: string, extra: string[] = []) {
  for (const secret of [...fixtureSecrets(), ...extra]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/gh_[A-Za-z0-9_-]{8,}/);
}

beforeEach(async () => {
  user = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-user-'));
  for (const [file, fixture] of Object.values(CONFIGS)) {
    fs.mkdirSync(path.dirname(path.join(user, file)), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, fixture), path.join(user, file));
  }
  const home = scratch.home({ policy: STARTER });
  home.write('policy.json', STARTER);
  gatehouseHome = home.home;
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: user };
  delete env.XDG_CONFIG_HOME;
  delete env.GATEHOUSE_HOME;
  serve = await scratch.serve(home.home, ['--port', '0'], env);
});
afterEach(async () => {
  await scratch.close();
  fs.rmSync(user, { recursive: true, force: true });
});

describe('the Connect view routes', () => {
  it('lists each client: its config, found, not connected, what bypasses Gatehouse, no secret', async () => {
    const { status, text, json } = await api('/connect');
    expect(status).toBe(200);
    expectNoSecret(text);
    const byName = Object.fromEntries(json.clients!.map((c) => [c.name, c]));
    expect(Object.keys(byName)).toEqual(['claude', 'cursor', 'vscode', 'claude-code']);
    expect(byName.claude).toMatchObject({
      label: 'Claude Desktop',
      configPath: configOf('claude'),
      found: true,
      connected: false,
      bypassing: ['filesystem', 'GitHub_Tools', 'windows-db'],
      takesUrl: false,
      canUndo: false,
    });
    expect(byName.claude!.paths.win32).toBe('%APPDATA%\\Claude\\claude_desktop_config.json');
    expect(byName.claude!.paths.darwin).toBe(
      '~/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(byName.vscode!.bypassing).toEqual(['fs', 'perplexity', 'github']);
    // The starter policy: the starting policy is offered, with the globs it allows.
    expect(json.startingPolicy!.allowed).toContain('get_*');
  });

  it('says "not found" for a client whose config is missing', async () => {
    fs.rmSync(configOf('cursor'));
    const { json } = await api('/connect');
    expect(json.clients!.find((c) => c.name === 'cursor')).toMatchObject({ found: false, bypassing: [] });
  });

  it('previews, connects, changes nothing the second time, and undoes byte for byte (Claude Desktop)', async () => {
    const file = configOf('claude');
    const original = read(file);
    const preview = await api('/connect/claude/preview', {});
    expect(preview.status).toBe(200);
    expectNoSecret(preview.text);
    expect(preview.json.changed).toBe(true);
    expect(preview.json.imports!.map((s) => [s.clientName, s.name])).toEqual([
      ['filesystem', 'filesystem'],
      ['GitHub_Tools', 'github-tools'],
      ['windows-db', 'windows-db'],
    ]);
    expect(preview.json.imports![1]!.renamed).toMatch(/lowercase/);
    expect(preview.json.added).toEqual([
      {
        name: 'gatehouse',
        entry: {
          command: process.execPath,
          args: [
            path.join(REPO_ROOT, 'bin', 'gatehouse.js'),
            'bridge',
            '--grant',
            'claude',
            '--home',
            gatehouseHome,
          ],
        },
      },
    ]);
    expect(preview.json.newGrant).toBe('claude');
    expect(preview.json.diff).toContain('-    "GitHub_Tools": {');
    expect(preview.json.diff).toContain('+    "gatehouse": {');
    expect(preview.json.warnings!.join(' ')).toMatch(/Quit Claude Desktop/);
    expect(preview.json.startingPolicy).toContain('get_*');
    expect(read(file)).toBe(original); // a preview writes nothing

    const done = await api('/connect/claude', { ifUnchanged: preview.json.hash, startingPolicy: true });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      changed: true,
      imported: ['filesystem', 'github-tools', 'windows-db'],
      grantCreated: true,
      policyWritten: true,
    });
    expect(fs.existsSync(done.json.backup!)).toBe(true);
    const after = JSON.parse(read(file));
    expect(Object.keys(after.mcpServers)).toEqual(['gatehouse']);
    expect(after.mcpServers.gatehouse.args).toContain('bridge');
    // Untouched parts stay byte for byte.
    expect(read(file)).toContain('  "globalShortcut": "Ctrl+Alt+Space",\n  "mcpServers": {');
    expect(read(file)).toContain(original.slice(original.indexOf('  "preferences"')));
    const servers = JSON.parse(read(path.join(gatehouseHome, 'servers.json'))).mcpServers;
    expect(servers['windows-db']).toEqual(JSON.parse(original).mcpServers['windows-db']);
    expect(servers['github-tools'].env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe(
      'ghp_exampleexampleexampleexample0000',
    );
    const listed = await api('/servers');
    expect(listed.json.servers!.map((s) => s.name).sort()).toEqual([
      'filesystem',
      'github-tools',
      'windows-db',
    ]);
    expect(JSON.parse(read(path.join(gatehouseHome, 'policy.json'))).tools['get_*']).toEqual({
      action: 'allow',
    });
    const list = await api('/connect');
    expect(list.json.clients![0]).toMatchObject({
      connected: true,
      entries: ['gatehouse'],
      bypassing: [],
      canUndo: true,
    });
    expect(list.json.startingPolicy).toBeUndefined();

    // Again: nothing to change.
    const connected = read(file);
    const again = await api('/connect/claude/preview', {});
    expect(again.json).toMatchObject({ changed: false, diff: '', present: ['gatehouse'] });
    const twice = await api('/connect/claude', { ifUnchanged: again.json.hash });
    expect(twice.json).toMatchObject({ changed: false, imported: [] });
    expect(read(file)).toBe(connected);

    const undone = await api('/connect/claude/undo', {});
    expect(undone.status).toBe(200);
    expect(undone.json.backup).toBe(done.json.backup);
    expect(read(file)).toBe(original);
  });

  it('connects a URL client without showing its token, and undo revokes the grant (Cursor)', async () => {
    const file = configOf('cursor');
    const original = read(file);
    const left = await api('/connect/cursor/preview', { noImport: true });
    expect(left.json.imports).toEqual([]);
    expect(left.json.warnings!.join(' ')).toMatch(/"memory" stays in Cursor's config and is NOT protected/);
    const bridged = await api('/connect/cursor/preview', { bridge: true });
    expect(JSON.stringify(bridged.json.added)).toContain('"bridge","--grant","cursor"');
    const preview = await api('/connect/cursor/preview', { perServer: true });
    expectNoSecret(preview.text);
    expect(preview.json.kept).toEqual([{ clientName: 'from-env', why: expect.stringMatching(/variables/) }]);
    expect(preview.json.warnings!.join(' ')).toMatch(
      /"from-env" stays in Cursor's config and is NOT protected/,
    );
    const done = await api('/connect/cursor', { perServer: true, ifUnchanged: preview.json.hash });
    expect(done.status).toBe(200);
    const token = /Bearer (gh_[A-Za-z0-9_-]+)/.exec(read(file))?.[1];
    expect(token).toBeDefined();
    // Neither the list nor a second preview shows the token now in the config.
    expectNoSecret((await api('/connect')).text, [token!]);
    const again = await api('/connect/cursor/preview', { perServer: true });
    expectNoSecret(again.text, [token!]);
    expect(again.json.changed).toBe(false);
    const undone = await api('/connect/cursor/undo', {});
    expect(undone.json).toMatchObject({ removed: false, revokedGrant: 'cursor' });
    expect(read(file)).toBe(original);
    expect((await api('/grants')).json.grants!.map((g) => g.name)).not.toContain('cursor');
  });

  it('refuses a connect whose preview is stale (409), and leaves the config alone', async () => {
    const file = configOf('claude');
    const preview = await api('/connect/claude/preview', {});
    const changed = read(file).replace('Ctrl+Alt+Space', 'Ctrl+Alt+G');
    fs.writeFileSync(file, changed);
    const res = await api('/connect/claude', { ifUnchanged: preview.json.hash });
    expect(res.status).toBe(409);
    expect(res.json.error).toMatch(/changed since the preview/);
    expect(read(file)).toBe(changed);
    expect(JSON.parse(read(path.join(gatehouseHome, 'servers.json'))).mcpServers).toEqual({});
  });

  it('answers 400 for a client it does not know, and takes no config path from the API', async () => {
    for (const [route, body] of [
      ['/connect/windsurf/preview', {}],
      ['/connect/windsurf', { ifUnchanged: 'x' }],
      ['/connect/windsurf/undo', {}],
      ['/connect/claude/preview', { configPath: '/etc/passwd' }],
    ] as const) {
      const res = await api(route, body);
      expect(res.status, route).toBe(400);
    }
  });

  it('answers 409 with what to do when a config is broken, and undo with nothing to undo', async () => {
    fs.writeFileSync(configOf('claude'), '{ "mcpServers": ');
    const res = await api('/connect/claude/preview', {});
    expect(res.status).toBe(409);
    expect(res.json.error).toMatch(/not valid JSON/);
    const undo = await api('/connect/cursor/undo', {});
    expect(undo.status).toBe(409);
    expect(undo.json.error).toMatch(/nothing to undo/i);
  });
});
