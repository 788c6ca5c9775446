import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  decide,
  decideCapability,
  effectiveToolAction,
} from '../../../electron/gateway/policy/decide.js';
import { parsePolicyText } from '../../../electron/gateway/policy/load.js';
import { STARTER_POLICY, PolicySchema } from '../../../shared/policy.js';
import { call, compile, DESIGN_EXAMPLE, fixedHits, NO_COUNTERS, SEED_EXAMPLE } from './helpers.js';

const NOW = 1_700_000_000_000;

describe('which rule decides (DESIGN.md §4)', () => {
  it('an explicit deny anywhere wins, even a base deny against an allow of the grant overlay', () => {
    const compiled = compile({
      version: '1',
      default: 'allow',
      tools: { 'drop_*': { action: 'deny' } },
      grants: {
        cursor: {
          tools: { drop_table: { action: 'allow' } },
          servers: { komodo: { tools: { drop_table: { action: 'allow' } } } },
        },
      },
    });
    const decision = decide(call('drop_table'), compiled, NO_COUNTERS, NOW);
    expect(decision).toMatchObject({
      decision: 'deny',
      status: 'denied',
      rule: 'tools["drop_*"]',
      ruleKey: 'drop_*',
      reason: 'denied by policy rule "drop_*"',
    });
  });

  it('among several denies, the most specific one gives the reason', () => {
    const compiled = compile({
      version: '1',
      tools: { '*': { action: 'deny', reason: 'everything' } },
      servers: { komodo: { tools: { 'x*': { action: 'deny', reason: 'x from komodo' } } } },
    });
    expect(decide(call('xy'), compiled, NO_COUNTERS, NOW)).toMatchObject({
      rule: 'servers.komodo.tools["x*"]',
      reason: 'x from komodo',
    });
  });

  it('the grant overlay beats the base', () => {
    const compiled = compile({
      version: '1',
      tools: { run: { action: 'allow' } },
      grants: { cursor: { tools: { 'r*': { action: 'approve' } } } },
    });
    expect(decide(call('run'), compiled, NO_COUNTERS, NOW)).toMatchObject({
      decision: 'approve',
      status: 'approval_required',
      rule: 'grants.cursor.tools["r*"]',
      reason: 'policy rule "r*" requires approval',
    });
    // Another grant gets the base rule.
    expect(decide(call('run', { grant: 'claude' }), compiled, NO_COUNTERS, NOW).rule).toBe('tools["run"]');
  });

  it('grants.G.servers.S.tools beats grants.G.tools', () => {
    const compiled = compile({
      version: '1',
      grants: {
        cursor: {
          tools: { run: { action: 'approve' } },
          servers: { komodo: { tools: { 'r*': { action: 'allow' } } } },
        },
      },
    });
    expect(decide(call('run'), compiled, NO_COUNTERS, NOW)).toMatchObject({
      decision: 'allow',
      rule: 'grants.cursor.servers.komodo.tools["r*"]',
    });
    expect(decide(call('run', { server: 'other' }), compiled, NO_COUNTERS, NOW).rule).toBe(
      'grants.cursor.tools["run"]',
    );
  });

  it('servers.S.tools beats tools', () => {
    const compiled = compile({
      version: '1',
      tools: { list_all: { action: 'approve' } },
      servers: { komodo: { tools: { 'list_*': { action: 'allow' } } } },
    });
    expect(decide(call('list_all'), compiled, NO_COUNTERS, NOW)).toMatchObject({
      decision: 'allow',
      rule: 'servers.komodo.tools["list_*"]',
      reason: 'allowed by policy rule "list_*"',
    });
    expect(decide(call('list_all', { server: 'other' }), compiled, NO_COUNTERS, NOW).rule).toBe(
      'tools["list_all"]',
    );
  });

  it('within a section an exact key beats a glob, even one with as many literal characters', () => {
    const compiled = compile({
      version: '1',
      tools: { 'list*': { action: 'approve' }, list: { action: 'allow' } },
    });
    expect(decide(call('list'), compiled, NO_COUNTERS, NOW).rule).toBe('tools["list"]');
  });

  it('more literal characters beat fewer', () => {
    const compiled = compile({
      version: '1',
      tools: { '*': { action: 'approve' }, 'get_*': { action: 'allow' }, 'get_s*': { action: 'approve' } },
    });
    expect(decide(call('get_secret'), compiled, NO_COUNTERS, NOW).rule).toBe('tools["get_s*"]');
    expect(decide(call('get_user'), compiled, NO_COUNTERS, NOW).rule).toBe('tools["get_*"]');
    expect(decide(call('put'), compiled, NO_COUNTERS, NOW).rule).toBe('tools["*"]');
  });

  it('on a tie the stricter action wins (approve over allow), whatever the key order', () => {
    for (const tools of [
      { 'a*': { action: 'allow' }, '*a': { action: 'approve' } },
      { '*a': { action: 'approve' }, 'a*': { action: 'allow' } },
    ]) {
      const decision = decide(call('aba'), compile({ version: '1', tools }), NO_COUNTERS, NOW);
      expect(decision).toMatchObject({ decision: 'approve', rule: 'tools["*a"]' });
    }
  });

  it('the deciding rule alone supplies args and limits: nothing is merged', () => {
    const compiled = compile({
      version: '1',
      tools: { 'run*': { args: { id: {} }, limits: [{ counter: 'c', window: 'minute', max: 1 }] } },
      servers: { komodo: { tools: { run: { action: 'allow' } } } },
    });
    const decision = decide(call('run'), compiled, fixedHits([NOW]), NOW);
    expect(decision).toMatchObject({ status: 'allowed', rule: 'servers.komodo.tools["run"]', charges: [] });
  });

  it('without a matching rule the default chain decides, first present wins', () => {
    const full = {
      version: '1',
      default: 'allow',
      servers: { komodo: { default: 'approve' } },
      grants: { cursor: { default: 'deny', servers: { komodo: { default: 'allow' } } } },
    };
    const check = (policy: unknown, expected: { decision: string; rule: string; reason: string }) =>
      expect(decide(call('anything'), compile(policy), NO_COUNTERS, NOW)).toMatchObject(expected);
    check(full, {
      decision: 'allow',
      rule: 'grants.cursor.servers.komodo.default',
      reason: 'allowed by the default policy',
    });
    check(
      { ...full, grants: { cursor: { default: 'deny' } } },
      { decision: 'deny', rule: 'grants.cursor.default', reason: 'denied by the default policy' },
    );
    check(
      { ...full, grants: {} },
      { decision: 'approve', rule: 'servers.komodo.default', reason: 'the default policy requires approval' },
    );
    check(
      { version: '1', default: 'allow' },
      { decision: 'allow', rule: 'default', reason: 'allowed by the default policy' },
    );
    check({ version: '1' }, { decision: 'deny', rule: 'default', reason: 'denied by the default policy' });
    const noKey = decide(call('anything'), compile({ version: '1' }), NO_COUNTERS, NOW);
    expect(noKey.ruleKey).toBeUndefined();
  });

  it('keys are byte-for-byte, case-sensitive, and * is the only special character', () => {
    const compiled = compile({
      version: '1',
      default: 'deny',
      tools: { 'Read.file?': { action: 'allow' }, 'a*b*c': { action: 'allow' } },
    });
    expect(decide(call('Read.file?'), compiled, NO_COUNTERS, NOW).decision).toBe('allow');
    expect(decide(call('read.file?'), compiled, NO_COUNTERS, NOW).decision).toBe('deny');
    expect(decide(call('ReadXfileX'), compiled, NO_COUNTERS, NOW).decision).toBe('deny');
    expect(decide(call('abc'), compiled, NO_COUNTERS, NOW).decision).toBe('allow');
    expect(decide(call('a-b-c'), compiled, NO_COUNTERS, NOW).decision).toBe('allow');
    expect(decide(call('acb'), compiled, NO_COUNTERS, NOW).decision).toBe('deny');
  });

  it('a deny rule uses its own reason', () => {
    const compiled = compile({ version: '1', tools: { rm: { action: 'deny', reason: 'never' } } });
    expect(decide(call('rm'), compiled, NO_COUNTERS, NOW).reason).toBe('never');
  });

  it('rule strings bracket-quote the key and the names that are not identifiers', () => {
    const compiled = compile({
      version: '1',
      servers: { 'my-server': { tools: { x: { action: 'allow' } } } },
      grants: { 'team-a': { servers: { 'my-server': { default: 'approve' } } } },
    });
    expect(decide(call('x', { server: 'my-server' }), compiled, NO_COUNTERS, NOW).rule).toBe(
      'servers["my-server"].tools["x"]',
    );
    expect(decide(call('y', { server: 'my-server', grant: 'team-a' }), compiled, NO_COUNTERS, NOW).rule).toBe(
      'grants["team-a"].servers["my-server"].default',
    );
  });
});

describe('the examples of DESIGN.md', () => {
  it('the seed example loads unchanged and applies its grant-scoped limit', () => {
    const result = parsePolicyText(SEED_EXAMPLE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.approvalTimeoutSeconds).toBe(50);
    const decision = decide(call('run_procedure'), result.compiled, NO_COUNTERS, NOW);
    expect(decision).toMatchObject({ decision: 'allow', status: 'allowed', rule: 'tools["run_procedure"]' });
    expect(decision.charges).toEqual([
      {
        key: 'run_procedure_rate\u0000grant\u0000cursor',
        counter: 'run_procedure_rate',
        windowMs: 60_000,
        max: 10,
        scope: 'grant',
        windowText: 'minute',
      },
    ]);
    expect(decide(call('other'), result.compiled, NO_COUNTERS, NOW).status).toBe('denied');
  });

  it('the example of §4 decides as its text says', () => {
    const result = parsePolicyText(DESIGN_EXAMPLE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { compiled } = result;
    const d = (tool: string, overrides = {}) => decide(call(tool, overrides), compiled, NO_COUNTERS, NOW);
    expect(d('delete_stack')).toMatchObject({
      decision: 'approve',
      reason: 'destructive',
      rule: 'tools["delete_*"]',
    });
    expect(d('list_stacks')).toMatchObject({ decision: 'allow', rule: 'servers.komodo.tools["list_*"]' });
    expect(d('deploy')).toMatchObject({ decision: 'approve', rule: 'servers.komodo.default' });
    expect(d('deploy', { server: 'github' })).toMatchObject({ decision: 'deny', rule: 'default' });
    expect(d('execute_terminal')).toMatchObject({
      decision: 'deny',
      reason: 'not from Cursor',
      rule: 'grants.cursor.tools["execute_*"]',
    });
    expect(d('execute_terminal', { grant: 'claude' }).decision).toBe('approve');
    expect(decideCapability('komodo', 'sampling', 'cursor', compiled)).toEqual({
      action: 'deny',
      rule: 'servers.komodo.sampling',
    });
    expect(decideCapability('komodo', 'resources', 'cursor', compiled)).toEqual({
      action: 'allow',
      rule: 'servers.komodo.resources',
    });
    expect(decideCapability('komodo', 'completion', 'cursor', compiled)).toEqual({
      action: 'approve',
      rule: 'servers.komodo.default',
    });
    expect(decideCapability('github', 'prompts', 'cursor', compiled)).toEqual({
      action: 'deny',
      rule: 'default',
    });
    expect(effectiveToolAction('cursor', 'komodo', 'execute_x', compiled)).toBe('deny');
    expect(effectiveToolAction('claude', 'komodo', 'execute_x', compiled)).toBe('approve');
  });

  it('the starter policy asks for everything', () => {
    const compiled = compilePolicy(PolicySchema.parse(STARTER_POLICY));
    expect(decide(call('anything'), compiled, NO_COUNTERS, NOW)).toMatchObject({
      decision: 'approve',
      status: 'approval_required',
      rule: 'default',
    });
  });
});

describe('capabilities and tools/list', () => {
  const compiled = compile({
    version: '1',
    default: 'allow',
    servers: { komodo: { default: 'approve', prompts: 'deny' } },
    grants: {
      cursor: {
        default: 'deny',
        servers: { komodo: { prompts: 'allow', tools: { 'x*': { action: 'deny' } } } },
      },
    },
  });

  it('follows grants.G.servers.S.<cap>, servers.S.<cap>, then the default chain', () => {
    expect(decideCapability('komodo', 'prompts', 'cursor', compiled)).toEqual({
      action: 'allow',
      rule: 'grants.cursor.servers.komodo.prompts',
    });
    expect(decideCapability('komodo', 'prompts', 'claude', compiled)).toEqual({
      action: 'deny',
      rule: 'servers.komodo.prompts',
    });
    expect(decideCapability('komodo', 'sampling', 'cursor', compiled)).toEqual({
      action: 'deny',
      rule: 'grants.cursor.default',
    });
    expect(decideCapability('komodo', 'sampling', 'claude', compiled)).toEqual({
      action: 'approve',
      rule: 'servers.komodo.default',
    });
    expect(decideCapability('other', 'elicitation', 'claude', compiled)).toEqual({
      action: 'allow',
      rule: 'default',
    });
  });

  it('effectiveToolAction ignores args and limits', () => {
    const withArgs = compile({
      version: '1',
      tools: { t: { args: { must: {} }, limits: [{ counter: 'c', window: 'day', max: 1 }] } },
    });
    expect(effectiveToolAction('g', 's', 't', withArgs)).toBe('allow');
    expect(effectiveToolAction('cursor', 'komodo', 'xy', compiled)).toBe('deny');
    expect(effectiveToolAction('claude', 'komodo', 'xy', compiled)).toBe('approve');
  });

  it('the memo never changes a decision, also past its size limit', () => {
    const small = compile({ version: '1', tools: { 'a*': { action: 'allow' }, 'b*': { action: 'deny' } } });
    small.memoLimit = 3;
    for (let round = 0; round < 3; round += 1) {
      for (const tool of ['a1', 'b1', 'c1', 'a2', 'b2']) {
        const expected = tool.startsWith('a') ? 'allow' : 'deny';
        expect(decide(call(tool), small, NO_COUNTERS, NOW).decision).toBe(expected);
      }
      expect(small.memo.size).toBeLessThanOrEqual(3);
    }
  });
});
