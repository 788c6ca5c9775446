// Tool and server names that Object.prototype also has (__proto__, constructor, prototype, toString, hasOwnProperty)
// are names like any other: the table resolves exactly the tools that were listed, and nothing inherited.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { buildNameTable } from '../../../electron/gateway/names/name-table.js';

const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const tool = (name: string): Tool => ({ name, inputSchema: { type: 'object' } });

describe('names Object.prototype also has', () => {
  it('resolve to the listed tool, under a prefix and without one; collide like any other name', () => {
    const table = buildNameTable([
      { server: 'raw', tools: NAMES.map(tool) },
      { server: 'bare', toolPrefix: '', tools: NAMES.map(tool) },
      { server: 'dup', toolPrefix: '', tools: [tool('constructor')] },
    ]);
    for (const name of NAMES) {
      expect(table.resolve(`raw__${name}`)).toMatchObject({ server: 'raw', tool: name });
      expect(table.original('raw', name)).toMatchObject({
        server: 'raw',
        tool: name,
        exposedName: `raw__${name}`,
      });
    }
    for (const name of NAMES.filter((n) => n !== 'constructor')) {
      expect(table.resolve(name)).toMatchObject({ server: 'bare', tool: name });
    }
    // "constructor" of bare and of dup collide: both hidden, neither resolvable.
    expect(table.resolve('constructor')).toBeUndefined();
    expect(table.original('bare', 'constructor')).toBeUndefined();
    expect(table.hidden.map((h) => `${h.server}/${h.tool}`).sort()).toEqual([
      'bare/constructor',
      'dup/constructor',
    ]);
    expect([...table.entries()]).toHaveLength(NAMES.length * 2 - 1);
  });

  it('resolve to nothing when no tool of that name was listed', () => {
    const table = buildNameTable([{ server: 'ev', toolPrefix: '', tools: [tool('echo')] }]);
    for (const name of [...NAMES, 'ev__constructor', '']) {
      expect(table.resolve(name)).toBeUndefined();
      expect(table.original('ev', name)).toBeUndefined();
    }
    expect(table.original('constructor', 'echo')).toBeUndefined();
    expect(table.original('__proto__', 'echo')).toBeUndefined();
  });

  it('are found exposed under their own names by a table with no prefix', () => {
    const table = buildNameTable([{ server: 'raw', toolPrefix: '', tools: NAMES.map(tool) }]);
    for (const name of NAMES) {
      const entry = table.resolve(name);
      expect(entry?.definition.name).toBe(name);
      expect(Object.getPrototypeOf(entry)).toBe(Object.prototype);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
