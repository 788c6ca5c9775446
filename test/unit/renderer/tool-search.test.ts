import { describe, expect, it } from 'vitest';
import type { ToolInfo } from '../../../shared/api/operations';
import { searchTools } from '../../../renderer/src/lib/tool-search';

const tool = (server: string, name: string, action: ToolInfo['action'], description?: string): ToolInfo => ({
  server,
  tool: name,
  exposedName: `${server}__${name}`,
  ...(description !== undefined ? { description } : {}),
  rule: action === 'deny' ? 'tools["delete_*"]' : 'default',
  action,
  risk: { category: 'read', level: 'low', reasons: [] },
  quota: [],
});

const TOOLS = [
  tool('ev', 'echo', 'allow', 'Echoes back the input'),
  tool('ev', 'delete_file', 'deny'),
  tool('komodo', 'run_procedure', 'approve', 'Runs a DevOps procedure'),
];

describe('searchTools', () => {
  it('keeps every tool for an empty query', () => {
    expect(searchTools(TOOLS, '  ')).toBe(TOOLS);
  });
  it('matches every word, in any order and case, across name, server, description, action and rule', () => {
    const names = (query: string) => searchTools(TOOLS, query).map((t) => t.tool);
    expect(names('ECHO')).toEqual(['echo']);
    expect(names('komodo devops')).toEqual(['run_procedure']);
    expect(names('ask')).toEqual(['run_procedure']);
    expect(names('delete_*')).toEqual(['delete_file']);
    expect(names('ev deny')).toEqual(['delete_file']);
    expect(names('echo komodo')).toEqual([]);
  });
});
