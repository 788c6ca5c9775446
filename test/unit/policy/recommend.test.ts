import { describe, expect, it } from 'vitest';
import { decide } from '../../../electron/gateway/policy/decide.js';
import { checkPolicyText } from '../../../electron/gateway/policy/check.js';
import { lineDiff, recommendPolicy } from '../../../electron/gateway/policy/recommend.js';
import { classifyTool } from '../../../electron/gateway/risk/classify.js';
import { call, compile, fixedHits, NO_COUNTERS } from './helpers.js';

const SURFACE = [
  'list_stacks',
  'get_stack',
  'create_stack',
  'update_stack',
  'delete_stack',
  'deploy_stack',
  'run_procedure',
  'execute_command',
  'restart_container',
  'prune_images',
].map((name) => ({ server: 'komodo', tool: name, category: classifyTool({ name }).category }));

const STARTER = '{\n  "version": "1",\n  "default": "approve"\n}\n';

function recommended(text: string, options = {}) {
  const parsed = compile(JSON.parse(text));
  return recommendPolicy(text, parsed, SURFACE, options);
}

describe('the recommended policy', () => {
  it('passes policy check and decides each DevOps tool as its class says', () => {
    const { text, skipped } = recommended(STARTER);
    expect(skipped).toEqual([]);
    expect(checkPolicyText(text).errors).toEqual([]);
    const policy = compile(JSON.parse(text));
    const actionOf = (tool: string) => decide(call(tool), policy, NO_COUNTERS, 0).decision;
    expect(actionOf('list_stacks')).toBe('allow');
    expect(actionOf('get_stack')).toBe('allow');
    for (const tool of ['create_stack', 'update_stack', 'delete_stack', 'prune_images', 'deploy_stack'])
      expect(actionOf(tool)).toBe('approve');
    // Execute: asked, and 10 a minute per grant.
    const run = decide(call('run_procedure'), policy, NO_COUNTERS, 0);
    expect(run.charges).toEqual([
      expect.objectContaining({ counter: 'komodo_run_procedure_rate', windowMs: 60_000, max: 10 }),
    ]);
    const hits = Array.from({ length: 10 }, (_, i) => i);
    expect(decide(call('run_procedure'), policy, fixedHits(hits), 100).status).toBe('rate_limited');
  });

  it('denies Destructive tools with --destructive deny', () => {
    const policy = compile(JSON.parse(recommended(STARTER, { destructive: 'deny' }).text));
    expect(decide(call('delete_stack'), policy, NO_COUNTERS, 0).decision).toBe('deny');
    expect(decide(call('prune_images'), policy, NO_COUNTERS, 0).decision).toBe('deny');
  });

  it('keeps the file as written and changes only the paths it sets', () => {
    const text =
      '{\n  "$schema": "./policy.schema.json",\n  "version": "1",\n  "default": "approve",\n  "x-note": "mine"\n}\n';
    const { text: next, edits } = recommended(text);
    expect(next.startsWith('{\n  "$schema": "./policy.schema.json",\n  "version": "1",')).toBe(true);
    expect(next).toContain('"x-note": "mine"');
    expect(edits[0]).toEqual({
      path: ['servers', 'komodo', 'tools', 'list_stacks'],
      value: { action: 'allow' },
    });
  });

  it('never loosens a rule the user wrote, and says what it skipped and why', () => {
    const text = JSON.stringify(
      {
        version: '1',
        default: 'approve',
        tools: { 'delete_*': { action: 'deny' }, 'get_*': { action: 'approve' } },
        servers: { komodo: { tools: { create_stack: { action: 'allow' } } } },
      },
      null,
      2,
    );
    const { skipped, edits } = recommended(text);
    const why = Object.fromEntries(skipped.map((s) => [s.tool, s.why]));
    expect(why.delete_stack).toBe('tools["delete_*"] denies it (a deny the user wrote is kept)');
    expect(why.get_stack).toBe('tools["get_*"] says approve: the recommended allow would loosen it');
    expect(why.create_stack).toBe(
      'servers.komodo.tools["create_stack"] is a rule the user wrote for this tool (kept)',
    );
    expect(edits.map((e) => e.path[3])).not.toContain('delete_stack');
    expect(recommended(recommended(STARTER).text).edits).toEqual([]);
  });

  it('shows the change as a diff of the file', () => {
    const { text } = recommended(STARTER);
    const diff = lineDiff(STARTER, text);
    expect(diff).toMatch(/^--- policy\.json\n\+\+\+ policy\.json \(recommended\)\n@@ -1,\d+ \+1,\d+ @@\n/);
    expect(diff).toContain('+        "list_stacks": {');
    expect(diff).toContain('-  "default": "approve"\n+  "default": "approve",');
    expect(lineDiff(STARTER, STARTER)).toBe('');
  });
});
