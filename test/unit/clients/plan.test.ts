// What a client's config becomes (pure): every server imported exactly, one Gatehouse entry in their place, every other
// byte kept (comments too), a second run changes nothing, per server under the servers' own names.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../shared/servers.js';
import type { EntryTarget } from '../../../electron/gateway/clients/entries.js';
import { CLIENTS, type ClientName } from '../../../electron/gateway/clients/locations.js';
import { planConnect, type ConnectInput } from '../../../electron/gateway/clients/plan.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/clients');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const bridge: EntryTarget = {
  kind: 'bridge',
  launcher: { command: '/opt/node/bin/node', args: ['/opt/gatehouse/bin/gatehouse.js', 'bridge'] },
  grant: 'claude',
  homeArgs: [],
};
const url: EntryTarget = { kind: 'url', url: 'http://127.0.0.1:7451/mcp', token: 'gh_tokentokentoken' };

function plan(client: ClientName, text: string, more: Partial<ConnectInput> = {}) {
  return planConnect({
    client: CLIENTS[client],
    file: 'config.json',
    text,
    existing: {},
    target: CLIENTS[client].takesUrl ? url : bridge,
    perServer: false,
    noImport: false,
    ...more,
  });
}
const json = (text: string) => parse(text) as Record<string, Record<string, unknown>>;

describe('planConnect', () => {
  it('Claude Desktop: imports every server exactly (env, args with spaces, Windows paths, cwd) and leaves one bridge entry', () => {
    const text = fixture('claude_desktop_config.json');
    const result = plan('claude', text);
    const before = json(text);
    const imported = Object.fromEntries(result.imports.map((s) => [s.clientName, s.config]));
    expect(imported).toEqual(before.mcpServers);
    expect(result.imports.map((s) => s.name)).toEqual(['filesystem', 'github-tools', 'windows-db']);
    expect(result.imports[1]!.renamed).toMatch(/lowercase/);
    const after = json(result.text);
    expect(after.mcpServers).toEqual({
      gatehouse: {
        command: '/opt/node/bin/node',
        args: ['/opt/gatehouse/bin/gatehouse.js', 'bridge', '--grant', 'claude'],
      },
    });
    expect({ ...after, mcpServers: null }).toEqual({ ...before, mcpServers: null });
    // Untouched lines stay byte for byte.
    const head = text.slice(0, text.indexOf('"mcpServers"'));
    const tail = text.slice(text.indexOf('  "preferences"'));
    expect(result.text.startsWith(head)).toBe(true);
    expect(result.text.endsWith(tail)).toBe(true);
    expect(plan('claude', result.text)).toMatchObject({
      changed: false,
      imports: [],
      present: ['gatehouse'],
    });
  });

  it('VS Code: keeps comments and inputs, writes a typed url entry, and leaves a server using ${input:…} where it is', () => {
    const text = fixture('vscode-mcp.json');
    const result = plan('vscode', text);
    expect(result.text).toContain('// VS Code user mcp.json');
    expect(result.text).toContain('/* the last one */');
    expect(json(result.text).inputs).toEqual(json(text).inputs);
    expect(result.kept).toEqual([
      { clientName: 'perplexity', why: expect.stringMatching(/only VS Code fills in/) },
    ]);
    expect(result.imports.map((s) => [s.name, s.config])).toEqual([
      [
        'fs',
        {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/src'],
          env: { DEBUG: '1' },
        },
      ],
      [
        'github',
        { type: 'http', url: 'https://api.githubcopilot.com/mcp/', headers: { 'X-Example': 'yes' } },
      ],
    ]);
    const servers = json(result.text).servers!;
    expect(Object.keys(servers)).toEqual(['perplexity', 'gatehouse']);
    expect(servers.gatehouse).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:7451/mcp',
      headers: { Authorization: 'Bearer gh_tokentokentoken' },
    });
    expect(plan('vscode', result.text).changed).toBe(false);
    // The gateway moved to another port (settings.json): connecting again follows it, token and all.
    const moved = plan('vscode', result.text, { target: { ...url, url: 'http://127.0.0.1:8000/mcp' } });
    expect(moved.moved).toEqual(['gatehouse']);
    expect(json(moved.text).servers!.gatehouse).toEqual({
      ...(servers.gatehouse as object),
      url: 'http://127.0.0.1:8000/mcp',
    });
    expect(moved.text.replace('8000', '7451')).toBe(result.text);
  });

  it('Claude Code: only mcpServers changes among its many keys; a stdio entry loses its type in servers.json', () => {
    const text = fixture('claude-code.json');
    const result = plan('claude-code', text);
    expect(result.imports.map((s) => s.config)).toEqual([
      { type: 'http', url: 'https://mcp.sentry.dev/mcp' },
      { command: 'npx', args: ['-y', 'airtable-mcp-server'], env: { AIRTABLE_API_KEY: 'keyexampleexample' } },
    ]);
    const after = json(result.text);
    expect(after.projects).toEqual(json(text).projects);
    expect(Object.keys(after)).toEqual(Object.keys(json(text)));
    const head = text.slice(0, text.indexOf('  "mcpServers"'));
    expect(result.text.startsWith(head)).toBe(true);
    expect(result.text.endsWith(text.slice(text.indexOf('  "userID"')))).toBe(true);
  });

  it('--per-server: one entry per server in its own place, under its own name, narrowed to its servers.json name', () => {
    const text = fixture('cursor-mcp.json');
    const result = plan('cursor', text, { perServer: true });
    const servers = json(result.text).mcpServers!;
    expect(Object.keys(servers)).toEqual(['memory', 'Linear API', 'from-env']);
    expect(servers['Linear API']).toEqual({
      url: 'http://127.0.0.1:7451/mcp',
      headers: { Authorization: 'Bearer gh_tokentokentoken', 'X-Gatehouse-Server': 'linear-api' },
    });
    expect(result.kept.map((s) => s.clientName)).toEqual(['from-env']);
    expect(plan('cursor', result.text, { perServer: true }).changed).toBe(false);
    // Run again without the flag, it keeps the config's way (no entry for everything beside the per-server ones).
    expect(plan('cursor', result.text).changed).toBe(false);
    const claude = plan('claude', fixture('claude_desktop_config.json'), { perServer: true });
    expect(json(claude.text).mcpServers!.GitHub_Tools).toEqual({
      command: '/opt/node/bin/node',
      args: ['/opt/gatehouse/bin/gatehouse.js', 'bridge', '--grant', 'claude', '--server', 'github-tools'],
    });
  });

  it('never takes the name of a different server in servers.json; the same server is reused', () => {
    const text = fixture('claude_desktop_config.json');
    const filesystem = json(text).mcpServers!.filesystem as ServerConfig;
    const existing: Record<string, ServerConfig> = {
      filesystem,
      'windows-db': { command: 'other' },
      'windows-db-2': { command: 'other too' },
    };
    const result = plan('claude', text, { existing });
    expect(result.imports.map((s) => [s.name, s.reused])).toEqual([
      ['filesystem', true],
      ['github-tools', false],
      ['windows-db-3', false],
    ]);
    expect(result.imports[2]!.renamed).toBe('servers.json already has a different server "windows-db"');
    const twins = plan('cursor', '{"mcpServers":{"A b":{"command":"x"},"a-b":{"command":"y"}}}');
    expect(twins.imports.map((s) => s.name)).toEqual(['a-b', 'a-b-2']);
  });

  it('--no-import adds the entry and leaves every server where it is; an empty or missing file gets one', () => {
    const text = fixture('cursor-mcp.json');
    const result = plan('cursor', text, { noImport: true });
    expect(result.imports).toEqual([]);
    expect(result.kept).toHaveLength(3);
    expect(Object.keys(json(result.text).mcpServers!)).toEqual([
      'memory',
      'Linear API',
      'from-env',
      'gatehouse',
    ]);
    const empty = plan('claude', '');
    expect(JSON.parse(empty.text)).toEqual({
      mcpServers: { gatehouse: { command: '/opt/node/bin/node', args: expect.any(Array) } },
    });
  });

  it('refuses a broken config, naming where it broke; comments only where the client takes them', () => {
    expect(() => plan('claude', '{\n  "mcpServers": {\n    "a": { "command": "node", }\n')).toThrow(
      /config.json is not valid JSON \(line 3, column 31: .*\)\. Fix the file \(or move it aside\) and run again\. Nothing was changed\./,
    );
    expect(() => plan('cursor', '// hi\n{}')).toThrow(
      /not valid JSON \(line 1, column 1: InvalidCommentToken\)/,
    );
    expect(plan('vscode', '// hi\n{"servers": {},}').changed).toBe(true);
    expect(() => plan('cursor', '{"mcpServers": []}')).toThrow(/"mcpServers" is not an object/);
  });
});
