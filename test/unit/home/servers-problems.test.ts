// A servers.json the schema refuses is explained in words that say how to fix it.
import { describe, expect, it } from 'vitest';
import { serversProblems } from '../../../electron/gateway/home/servers-problems.js';

describe('serversProblems', () => {
  it('names a misspelt key and the key it most likely meant', () => {
    expect(serversProblems({ mcpServers: { ev: { comand: 'node', args: ['x'] } } })).toEqual([
      'mcpServers.ev: unknown key "comand" — did you mean "command"?',
    ]);
    expect(
      serversProblems({ mcpServers: { web: { url: 'https://x.test/mcp', header: { a: 'b' } } } }),
    ).toEqual(['mcpServers.web: unknown key "header" — did you mean "headers"?']);
    expect(serversProblems({ mcpServers: { ev: { command: 'node', Env: {} } } })).toEqual([
      'mcpServers.ev: unknown key "Env" — did you mean "env"?',
    ]);
  });

  it('lists the keys a server has when a key is far from all of them', () => {
    const [problem] = serversProblems({ mcpServers: { ev: { command: 'node', flavour: 1 } } });
    expect(problem).toMatch(
      /^mcpServers\.ev: unknown key "flavour" \(a server has "command", "args", "env", "cwd"/,
    );
  });

  it('explains a name that breaks the rule, with a name that keeps it', () => {
    expect(serversProblems({ mcpServers: { 'My Server': { command: 'x' } } })).toEqual([
      'mcpServers.My Server: "My Server" is not a server name — use 1–32 lowercase letters, digits and "-", not starting with "-" (e.g. "my-server")',
    ]);
  });

  it('asks for a command or a URL, and passes the schema’s word on a value of the wrong kind', () => {
    expect(serversProblems({ mcpServers: { ev: { args: ['x'] } } })).toEqual([
      'mcpServers.ev: needs "command" (the program to run, with "args") or "url" (a server to connect to)',
    ]);
    const [wrongKind] = serversProblems({ mcpServers: { ev: { command: 'node', args: 'x' } } });
    expect(wrongKind).toMatch(/^mcpServers\.ev\.args: /);
    expect(serversProblems('nope')[0]).toMatch(/^\(top level\): must be an object/);
    expect(serversProblems({ mcpServers: { ev: { command: 'node' } } })).toEqual([]);
  });
});
