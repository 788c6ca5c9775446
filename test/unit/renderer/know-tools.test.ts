// The dashboard's "Know your tools" pieces that are pure: the risk filter and order, the sentence of a simulation,
// the monitor part of a tool's rule, the "would have been…" badge of a watched call, and the tools' pin marks.
import { describe, expect, it } from 'vitest';
import type { OperationOutput, ToolInfo } from '../../../shared/api/operations';
import { monitoredLabel } from '../../../renderer/src/lib/call-status';
import { rulePartEdit, watchedAction } from '../../../renderer/src/lib/rule-parts';
import { simulationSummary } from '../../../renderer/src/lib/simulation-summary';
import { definitionText, pinKey, unsettledPins } from '../../../renderer/src/lib/tool-pins';
import { riskTitle, riskWords, toolsByRisk } from '../../../renderer/src/lib/tool-risk';

const tool = (name: string, level: ToolInfo['risk']['level'], category = 'read'): ToolInfo => ({
  server: 'ev',
  tool: name,
  exposedName: `ev__${name}`,
  rule: 'default',
  action: 'allow',
  risk: { category, level, reasons: [] },
  quota: [],
});

describe('toolsByRisk', () => {
  const tools = [tool('a', 'low'), tool('b', 'high'), tool('c', 'medium'), tool('d', 'high')];
  it('returns the list itself when neither a filter nor the order applies', () => {
    expect(toolsByRisk(tools, '', false)).toBe(tools);
  });
  it('keeps the tools at or above a level', () => {
    expect(toolsByRisk(tools, 'medium', false).map((t) => t.tool)).toEqual(['b', 'c', 'd']);
    expect(toolsByRisk(tools, 'high', false).map((t) => t.tool)).toEqual(['b', 'd']);
  });
  it('orders riskiest first, the catalog order kept within a level', () => {
    expect(toolsByRisk(tools, '', true).map((t) => t.tool)).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('riskWords and riskTitle', () => {
  it('name the class and give the reasons', () => {
    const risk = { category: 'destructive', level: 'high' as const, reasons: ['name starts with delete_'] };
    expect(riskWords(risk)).toBe('Destructive · high');
    expect(riskTitle(risk)).toBe('high risk (destructive): name starts with delete_');
    expect(riskTitle({ ...risk, reasons: [] })).toBe('high risk (destructive): no sign of risk found');
  });
});

type Simulation = OperationOutput<'simulatePolicy'>;
const changed = (would: Simulation['changed'][number]['would']): Simulation['changed'][number] => ({
  id: would,
  ts: '2026-12-07T07:00:00.000Z',
  grant: 'laptop',
  server: 'ev',
  tool: 'echo',
  was: 'allow',
  would,
  rule: 'servers.ev.tools.echo',
  reason: 'denied by rule',
});

describe('simulationSummary', () => {
  const base: Simulation = { total: 5, changed: [], counts: {}, notes: [] };
  it('says when nothing was recorded, and when nothing would change', () => {
    expect(simulationSummary({ ...base, total: 0 }, 'the last 7 days')).toBe(
      'No tool call was recorded in the last 7 days: there is nothing to replay.',
    );
    expect(simulationSummary(base, 'the last 7 days')).toBe(
      'This draft would have decided each of the 5 calls of the last 7 days as it was decided.',
    );
  });
  it('counts the refused and the asked calls among the changed ones', () => {
    const sim = { ...base, changed: [changed('deny'), changed('rate_limited'), changed('approve')] };
    expect(simulationSummary(sim, 'the last 7 days')).toBe(
      'This draft would have denied 2 calls and asked for 1 of the last 7 days (3 of the 5 calls replayed change).',
    );
  });
  it('adds the calls it would let through and those it cannot tell', () => {
    const sim = { ...base, changed: [changed('allow'), changed('unknown')] };
    expect(simulationSummary(sim, 'the last 24 hours')).toBe(
      'This draft would have let 1 call through that the policy stopped and could not tell for 1 of the last 24 hours ' +
        '(2 of the 5 calls replayed change).',
    );
  });
});

describe('the monitor part of a tool’s rule', () => {
  const RULE = ['servers', 'ev', 'tools', 'echo'];
  it('sets monitor on the rule, or makes a rule that keeps the action', () => {
    const policy = { servers: { ev: { tools: { echo: { action: 'deny' } } } } };
    expect(rulePartEdit(policy, 'ev', 'echo', 'deny', ['monitor'], true)).toEqual({
      path: [...RULE, 'monitor'],
      value: true,
    });
    expect(rulePartEdit({}, 'ev', 'echo', 'approve', ['monitor'], true)).toEqual({
      path: RULE,
      value: { action: 'approve', monitor: true },
    });
  });
  it('removes it by rewriting the rule without it', () => {
    const policy = {
      servers: { ev: { tools: { echo: { action: 'deny', monitor: true, 'x-why': 'kept' } } } },
    };
    expect(watchedAction(policy, 'ev', 'echo')).toBe('deny');
    expect(rulePartEdit(policy, 'ev', 'echo', 'deny', ['monitor'], null)).toEqual({
      path: RULE,
      value: { action: 'deny', 'x-why': 'kept' },
    });
    expect(watchedAction({}, 'ev', 'echo')).toBeUndefined();
    expect(
      watchedAction({ servers: { ev: { tools: { echo: { monitor: true, limits: [] } } } } }, 'ev', 'echo'),
    ).toBe('allow');
  });
});

describe('monitoredLabel', () => {
  it('says what the watched rule would have done, and where it lives', () => {
    expect(monitoredLabel({})).toBeUndefined();
    expect(
      monitoredLabel({
        monitored: {
          decision: 'deny',
          status: 'denied',
          rule: 'servers.ev.tools.echo',
          reason: 'denied by rule',
        },
      }),
    ).toEqual({
      word: 'would have been denied',
      short: 'would deny',
      tone: 'deny',
      title: 'watched rule, not enforced: would have been denied by servers.ev.tools.echo (denied by rule)',
    });
  });
});

describe('tool pins in the Tools view', () => {
  it('marks only the tools not as pinned', () => {
    const marks = unsettledPins([
      { server: 'ev', tool: 'echo', state: 'pinned' },
      { server: 'ev', tool: 'add', state: 'changed' },
      { server: 'fs', tool: 'read', state: 'unpinned' },
    ]);
    expect([...marks]).toEqual([
      ['ev/add', 'changed'],
      ['fs/read', 'unpinned'],
    ]);
    expect(pinKey('ev', 'add')).toBe('ev/add');
    expect(unsettledPins(undefined).size).toBe(0);
  });
  it('writes a definition as its description and its schema as indented JSON', () => {
    expect(definitionText({ description: 'Adds.', schema: '{"inputSchema":{"type":"object"}}' })).toBe(
      'description: Adds.\n{\n  "inputSchema": {\n    "type": "object"\n  }\n}\n',
    );
    expect(definitionText({ schema: 'not json' })).toBe('description: (none)\nnot json\n');
  });
});
