// `connect --check` and where each client keeps its config: what bypasses Gatehouse is found, Gatehouse's own entries
// are not listed, and HOME / APPDATA from the environment decide the paths.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claudeExtensions,
  configBypasses,
  projectBypasses,
} from '../../../electron/gateway/clients/check.js';
import { CLIENTS, defaultConfigPath } from '../../../electron/gateway/clients/locations.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-check-'));
  dirs.push(dir);
  return dir;
}
function put(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('defaultConfigPath', () => {
  it('follows HOME and APPDATA per OS', () => {
    const env = { HOME: '/h', USERPROFILE: 'C:\\Users\\me', APPDATA: 'C:\\Users\\me\\AppData\\Roaming' };
    expect(defaultConfigPath('claude', env, 'linux')).toBe('/h/.config/Claude/claude_desktop_config.json');
    expect(defaultConfigPath('claude', env, 'darwin')).toBe(
      '/h/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(defaultConfigPath('claude', env, 'win32')).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
    expect(defaultConfigPath('vscode', env, 'linux')).toBe('/h/.config/Code/User/mcp.json');
    expect(defaultConfigPath('vscode', env, 'darwin')).toBe(
      '/h/Library/Application Support/Code/User/mcp.json',
    );
    expect(defaultConfigPath('vscode', env, 'win32')).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\mcp.json',
    );
    expect(defaultConfigPath('cursor', env, 'win32')).toBe('C:\\Users\\me\\.cursor\\mcp.json');
    expect(defaultConfigPath('claude-code', env, 'linux')).toBe('/h/.claude.json');
  });
});

describe('bypasses', () => {
  const bridge = '{"command":"/n/node","args":["/g/bin/gatehouse.js","bridge","--grant","claude"]}';

  it('lists the servers beside Gatehouse’s entries', () => {
    const app =
      '{"command":"/Applications/Gatehouse.app/Contents/MacOS/Gatehouse","args":["--bridge","--grant","c"]}';
    const url = (token: string) =>
      `{"url":"http://127.0.0.1:7451/mcp","headers":{"Authorization":"Bearer ${token}"}}`;
    const text = `{"mcpServers":{"gatehouse":${bridge},"app":${app},"gh":${url('gh_abc')},"other":${url('sk-1')},"later":{"command":"x"}}}`;
    expect(configBypasses(CLIENTS.claude, 'c.json', text).map((b) => b.what)).toEqual([
      'server "other" is reached directly, not through Gatehouse',
      'server "later" is reached directly, not through Gatehouse',
    ]);
  });

  it('finds Claude Desktop extensions in both places, and per-project configs in a folder of projects', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'Claude Extensions', 'ant.dir.filesystem'), { recursive: true });
    put(
      path.join(dir, 'extensions-installations.json'),
      '{"extensions":{"ant.dir.filesystem":{},"other.ext":{}}}',
    );
    expect(claudeExtensions(dir).map((b) => b.what)).toEqual([
      'Claude Desktop extension "ant.dir.filesystem" runs its server directly, not through Gatehouse',
      'Claude Desktop extension "other.ext" runs its server directly, not through Gatehouse',
    ]);
    expect(claudeExtensions(tmp())).toEqual([]);

    const projects = tmp();
    put(path.join(projects, 'app', '.cursor', 'mcp.json'), '{"mcpServers":{"db":{"command":"x"}}}');
    put(
      path.join(projects, 'web', '.vscode', 'mcp.json'),
      '// c\n{"servers":{"gh":{"type":"http","url":"u"},}}',
    );
    put(path.join(projects, 'ok', '.cursor', 'mcp.json'), `{"mcpServers":{"gatehouse":${bridge}}}`);
    put(path.join(projects, 'bad', '.mcp.json'), '{');
    expect(projectBypasses([projects]).map((b) => `${path.relative(projects, b.where)}: ${b.what}`)).toEqual([
      'app/.cursor/mcp.json: server "db" is reached directly, not through Gatehouse',
      expect.stringMatching(/^bad\/\.mcp\.json: could not be read: .*not valid JSON/),
      'web/.vscode/mcp.json: server "gh" is reached directly, not through Gatehouse',
    ]);
  });
});
