import { describe, expect, it } from 'vitest';
import { classifyTool, RISK_CATEGORIES } from '../../../electron/gateway/risk/classify.js';

const schema = (...fields: string[]) => ({
  type: 'object' as const,
  properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])),
});

/** A DevOps server's surface (Komodo-like): tools with and without annotations. */
const DEVOPS = [
  { name: 'list_stacks', category: 'read', level: 'low', reason: 'name starts with list_' },
  { name: 'list_deployments', annotations: { readOnlyHint: true }, category: 'read', level: 'low' },
  {
    name: 'get_stack',
    inputSchema: schema('stack'),
    category: 'read',
    level: 'low',
    reason: 'name starts with get_',
  },
  { name: 'get_deployment_log', category: 'read', level: 'low' },
  { name: 'get_deploy_status', category: 'read', level: 'low' },
  { name: 'inspect_container', category: 'read', level: 'low' },
  { name: 'create_stack', category: 'write', level: 'medium', reason: 'name starts with create_' },
  { name: 'update_deployment', annotations: { destructiveHint: false }, category: 'write', level: 'medium' },
  { name: 'deploy_stack', category: 'execute', level: 'high', reason: 'name starts with deploy_' },
  {
    name: 'run_procedure',
    inputSchema: schema('procedure'),
    category: 'execute',
    level: 'high',
    reason: 'name starts with run_',
  },
  {
    name: 'run_action',
    annotations: { readOnlyHint: false, openWorldHint: true },
    category: 'execute',
    level: 'high',
  },
  {
    name: 'execute_terminal_command',
    inputSchema: schema('server', 'command'),
    category: 'execute',
    level: 'high',
    reason: 'input has a field named command',
  },
  { name: 'restart_container', category: 'execute', level: 'high', reason: 'name starts with restart_' },
  { name: 'delete_stack', category: 'destructive', level: 'high', reason: 'name starts with delete_' },
  {
    name: 'delete_deployment',
    annotations: { readOnlyHint: true },
    category: 'destructive',
    level: 'high',
    reason: 'readOnlyHint: true ignored (server not in trustedServers)',
  },
  {
    name: 'prune_images',
    annotations: { destructiveHint: true },
    category: 'destructive',
    level: 'high',
    reason: 'destructiveHint: true',
  },
  { name: 'prune_volumes', category: 'destructive', level: 'high', reason: 'name starts with prune_' },
  { name: 'DestroyServer', category: 'destructive', level: 'high', reason: 'name starts with Destroy' },
] as const;

describe('risk classes of a DevOps server (untrusted)', () => {
  it.each(DEVOPS)('$name → $category, $level', (row) => {
    const risk = classifyTool(row);
    expect(risk.category).toBe(row.category);
    expect(risk.level).toBe(row.level);
    if ('reason' in row) expect(risk.reasons).toContain(row.reason);
    expect(risk.reasons.length).toBeGreaterThan(0);
  });

  it('puts every read below every execute or delete', () => {
    const rank = (name: string) => {
      const row = DEVOPS.find((r) => r.name === name)!;
      return RISK_CATEGORIES.indexOf(classifyTool(row).category as (typeof RISK_CATEGORIES)[number]);
    };
    const reads = DEVOPS.filter((r) => /^(list|get|inspect)_/.test(r.name));
    const acting = DEVOPS.filter((r) => /^(run|execute|deploy|restart|delete|prune)_/.test(r.name));
    for (const read of reads) for (const act of acting) expect(rank(read.name)).toBeLessThan(rank(act.name));
  });
});

describe('annotations', () => {
  it('ignores absent hints instead of taking the spec’s worst-case defaults', () => {
    expect(classifyTool({ name: 'list_things' }).category).toBe('read');
  });

  it('lets a trusted server’s readOnlyHint lower the class, an untrusted one never', () => {
    const tool = { name: 'run_report', annotations: { readOnlyHint: true } };
    expect(classifyTool(tool).category).toBe('execute');
    const trusted = classifyTool(tool, { trusted: true });
    expect(trusted).toMatchObject({ category: 'read', level: 'low' });
    expect(trusted.reasons[0]).toBe('readOnlyHint: true (trusted server)');
  });

  it('lets a trusted destructiveHint: false make a delete a write', () => {
    const tool = { name: 'remove_label', annotations: { destructiveHint: false } };
    expect(classifyTool(tool).category).toBe('destructive');
    expect(classifyTool(tool, { trusted: true }).category).toBe('write');
  });

  it('raises from any server: destructiveHint and openWorldHint', () => {
    expect(classifyTool({ name: 'tidy', annotations: { destructiveHint: true } })).toMatchObject({
      category: 'destructive',
      reasons: ['destructiveHint: true'],
    });
    expect(classifyTool({ name: 'get_page', annotations: { openWorldHint: true } }).category).toBe(
      'open-world',
    );
  });
});

describe('without a telling name', () => {
  it('reads the description’s first word, then the input schema', () => {
    expect(classifyTool({ name: 'stacks', description: 'Lists the stacks' }).category).toBe('read');
    expect(classifyTool({ name: 'stack', description: 'Deletes a stack for good' })).toMatchObject({
      category: 'destructive',
      reasons: ['description starts with "Deletes"'],
    });
    expect(classifyTool({ name: 'terminal', inputSchema: schema('command') }).reasons).toEqual([
      'input has a field named command',
    ]);
    expect(classifyTool({ name: 'browser', inputSchema: schema('url') }).category).toBe('open-world');
  });

  it('treats a tool nothing describes as a write', () => {
    expect(classifyTool({ name: 'zap' })).toMatchObject({ category: 'write', level: 'medium' });
  });

  it('splits camelCase names (server-everything)', () => {
    expect(classifyTool({ name: 'getTinyImage' }).category).toBe('read');
    expect(classifyTool({ name: 'echo' })).toMatchObject({ category: 'read', reasons: ['name is echo'] });
    expect(classifyTool({ name: 'printEnv' }).category).toBe('read');
  });
});
