import crypto from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import {
  buildNameTable,
  exposedNameFor,
  invalidToolNameReason,
} from '../../../electron/gateway/names/name-table.js';

function tool(name: string, description = `the ${name} tool`): Tool {
  return { name, description, inputSchema: { type: 'object' } };
}

function hash8(server: string, name: string): string {
  return crypto.createHash('sha256').update(`${server}/${name}`).digest('hex').slice(0, 8);
}

describe('exposedNameFor', () => {
  it('prefixes with "<server>__" by default, uses "" and other prefixes as they are', () => {
    expect(exposedNameFor('github', 'create_issue')).toBe('github__create_issue');
    expect(exposedNameFor('github', 'create_issue', '')).toBe('create_issue');
    expect(exposedNameFor('github', 'create_issue', 'gh.')).toBe('gh.create_issue');
  });

  it('keeps a name of exactly 64 characters', () => {
    const name = 'x'.repeat(64 - 'srv__'.length);
    expect(exposedNameFor('srv', name)).toBe(`srv__${name}`);
    expect(exposedNameFor('srv', name)).toHaveLength(64);
  });

  it('shortens past 64 characters to the first 55, "_" and 8 hex of sha256(server/tool)', () => {
    const name = 'a_very_long_tool_name_that_goes_on_and_on_past_the_limit_of_sixty_four';
    const exposed = exposedNameFor('komodo', name);
    const full = `komodo__${name}`;
    expect(exposed).toBe(`${full.slice(0, 55)}_${hash8('komodo', name)}`);
    expect(exposed).toHaveLength(64);
    // Deterministic, and different tools sharing the head get different names.
    expect(exposedNameFor('komodo', name)).toBe(exposed);
    expect(exposedNameFor('komodo', `${name}2`)).not.toBe(exposed);
    expect(exposedNameFor('komodo', `${name}2`).slice(0, 55)).toBe(exposed.slice(0, 55));
  });

  it('hashes server and tool, not the prefix, so the hash is the same whatever the prefix', () => {
    const name = 'n'.repeat(70);
    expect(exposedNameFor('s', name, '').endsWith(`_${hash8('s', name)}`)).toBe(true);
    expect(exposedNameFor('s', name).endsWith(`_${hash8('s', name)}`)).toBe(true);
  });
});

describe('invalidToolNameReason', () => {
  it('accepts the spec charset up to 128 characters', () => {
    expect(invalidToolNameReason('a.b-c_D9')).toBeUndefined();
    expect(invalidToolNameReason('x'.repeat(128))).toBeUndefined();
  });
  it('explains what is wrong', () => {
    expect(invalidToolNameReason('')).toBe('the tool name is empty');
    expect(invalidToolNameReason('x'.repeat(129))).toBe('the tool name is 129 characters long (at most 128)');
    expect(invalidToolNameReason('has space')).toMatch(/contains " " \(U\+0020\)/);
    expect(invalidToolNameReason('café')).toMatch(/contains "é" \(U\+00E9\)/);
    expect(invalidToolNameReason('a/b')).toMatch(/"\/"/);
  });
});

describe('buildNameTable', () => {
  it('resolves every exposed name to its (server, tool) and keeps the definition unchanged', () => {
    const echo = tool('echo');
    const table = buildNameTable([
      { server: 'everything', tools: [echo, tool('get-sum')] },
      { server: 'memory', tools: [tool('read_graph')] },
    ]);
    expect(table.resolve('everything__echo')).toEqual({
      exposedName: 'everything__echo',
      server: 'everything',
      tool: 'echo',
      definition: echo,
    });
    expect(table.resolve('everything__echo')?.definition).toBe(echo);
    expect(table.resolve('memory__read_graph')?.tool).toBe('read_graph');
    expect(table.resolve('echo')).toBeUndefined();
    expect(table.resolve('everything__nope')).toBeUndefined();
    expect([...table.entries()].map((e) => e.exposedName)).toEqual([
      'everything__echo',
      'everything__get-sum',
      'memory__read_graph',
    ]);
    expect(table.hidden).toEqual([]);
  });

  it('resolves names containing "__" by lookup, not by splitting', () => {
    const table = buildNameTable([
      { server: 'a', tools: [tool('b__c'), tool('b'), tool('__x__')] },
      { server: 'b', tools: [tool('c')] },
    ]);
    expect(table.resolve('a__b__c')).toMatchObject({ server: 'a', tool: 'b__c' });
    expect(table.resolve('a__b')).toMatchObject({ server: 'a', tool: 'b' });
    expect(table.resolve('a____x__')).toMatchObject({ server: 'a', tool: '__x__' });
    expect(table.resolve('b__c')).toMatchObject({ server: 'b', tool: 'c' });
    expect(table.hidden).toEqual([]);
  });

  it('hides both sides when a prefix makes two pairs share a name', () => {
    // Server "a" tool "b__c" and server "x" with toolPrefix "a__b__" tool "c" both become "a__b__c".
    const table = buildNameTable([
      { server: 'a', tools: [tool('b__c'), tool('ok')] },
      { server: 'x', toolPrefix: 'a__b__', tools: [tool('c')] },
    ]);
    expect(table.resolve('a__b__c')).toBeUndefined();
    expect(table.resolve('a__ok')).toMatchObject({ server: 'a', tool: 'ok' });
    expect(table.hidden.map((h) => `${h.server}/${h.tool}`).sort()).toEqual(['a/b__c', 'x/c']);
    const why = table.hidden.find((h) => h.server === 'a')?.why ?? '';
    expect(why).toContain('"a__b__c"');
    expect(why).toContain('tool "c" of server "x"');
  });

  it('hides a tool name shared by two servers that both expose original names', () => {
    const table = buildNameTable([
      { server: 'fs1', toolPrefix: '', tools: [tool('read_file'), tool('list_directory')] },
      { server: 'fs2', toolPrefix: '', tools: [tool('read_file'), tool('write_file')] },
    ]);
    expect(table.resolve('read_file')).toBeUndefined();
    expect(table.resolve('list_directory')).toMatchObject({ server: 'fs1' });
    expect(table.resolve('write_file')).toMatchObject({ server: 'fs2' });
    expect(table.hidden).toHaveLength(2);
    expect(table.hidden.every((h) => h.tool === 'read_file' && h.why.includes('collides'))).toBe(true);
  });

  it('hides a prefixed name that equals an original name of a server with toolPrefix ""', () => {
    const table = buildNameTable([
      { server: 'gh', tools: [tool('issue')] },
      { server: 'raw', toolPrefix: '', tools: [tool('gh__issue')] },
    ]);
    expect(table.resolve('gh__issue')).toBeUndefined();
    expect(table.hidden.map((h) => h.server).sort()).toEqual(['gh', 'raw']);
  });

  it('hides every tool whose shortened name collides with another name', () => {
    const long = 'l'.repeat(80);
    const shortened = exposedNameFor('s', long);
    // A second server that exposes, as its original name, exactly the shortened name of s/long.
    const table = buildNameTable([
      { server: 's', tools: [tool(long)] },
      { server: 'other', toolPrefix: '', tools: [tool(shortened)] },
      { server: 'third', toolPrefix: '', tools: [tool(shortened)] },
    ]);
    expect(shortened).toHaveLength(64);
    expect(table.resolve(shortened)).toBeUndefined();
    expect(table.hidden.map((h) => h.server).sort()).toEqual(['other', 's', 'third']);
    const why = table.hidden.find((h) => h.server === 's')?.why ?? '';
    expect(why).toContain('server "other"');
    expect(why).toContain('server "third"');
  });

  it('resolves a shortened name to the long original', () => {
    const long = 'create_a_really_long_named_resource_in_the_remote_system_now';
    const table = buildNameTable([{ server: 'cloud-provider', tools: [tool(long)] }]);
    const exposed = exposedNameFor('cloud-provider', long);
    expect(exposed).toHaveLength(64);
    expect(table.resolve(exposed)).toMatchObject({ server: 'cloud-provider', tool: long });
  });

  it('hides a tool a server lists twice', () => {
    const table = buildNameTable([
      { server: 's', tools: [tool('dup', 'one'), tool('dup', 'two'), tool('fine')] },
    ]);
    expect(table.resolve('s__dup')).toBeUndefined();
    expect(table.resolve('s__fine')).toBeDefined();
    expect(table.hidden).toHaveLength(2);
    expect(table.hidden[0]?.why).toContain('lists twice');
  });

  it('hides odd upstream names and says why', () => {
    const table = buildNameTable([
      {
        server: 'odd',
        tools: [
          tool('with space'),
          tool('ünïcode'),
          tool('x'.repeat(129)),
          tool(''),
          tool('x'.repeat(128)),
          tool('ok'),
        ],
      },
    ]);
    const reasons = new Map(table.hidden.map((h) => [h.tool, h.why]));
    expect(reasons.get('with space')).toMatch(/" " \(U\+0020\)/);
    expect(reasons.get('ünïcode')).toMatch(/"ü" \(U\+00FC\)/);
    expect(reasons.get('x'.repeat(129))).toMatch(/129 characters/);
    expect(reasons.get('')).toBe('the tool name is empty');
    expect(table.hidden).toHaveLength(4);
    // A valid 128-character name is kept (exposed shortened), as is "ok".
    expect(table.resolve(exposedNameFor('odd', 'x'.repeat(128)))).toMatchObject({ tool: 'x'.repeat(128) });
    expect(table.resolve('odd__ok')).toBeDefined();
    expect([...table.entries()]).toHaveLength(2);
  });

  it('hides tools whose prefix makes the exposed name invalid', () => {
    const table = buildNameTable([{ server: 's', toolPrefix: 'my tools: ', tools: [tool('a')] }]);
    expect([...table.entries()]).toEqual([]);
    expect(table.hidden[0]?.why).toMatch(/toolPrefix/);
  });

  it('is deterministic whatever the order of the listings', () => {
    const listings = [
      { server: 'a', tools: [tool('t'.repeat(90)), tool('b__c')] },
      { server: 'b', tools: [tool('u'.repeat(90))] },
    ];
    const one = buildNameTable(listings);
    const two = buildNameTable([...listings].reverse());
    const names = (t: ReturnType<typeof buildNameTable>) => [...t.entries()].map((e) => e.exposedName).sort();
    expect(names(one)).toEqual(names(two));
  });
});
