import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../shared/call-record.js';
import { parseSince, simulateCalls } from '../../../electron/gateway/simulate/simulate.js';
import { compile } from '../policy/helpers.js';

let n = 0;
function record(tool: string, fields: Partial<CallRecord> = {}): CallRecord {
  n++;
  return {
    id: `c${n}`,
    ts: new Date(Date.UTC(2026, 11, 1, 10, 0, n)).toISOString(),
    grant: 'cursor',
    session: 's1',
    server: 'komodo',
    tool,
    exposedName: `komodo__${tool}`,
    arguments: {},
    argsHash: 'h',
    decision: 'allow',
    rule: 'default',
    reason: 'allowed by the default policy',
    policyVersion: 'v1',
    status: 'ok',
    ...fields,
  };
}

const ALLOW_ALL = compile({ version: '1', default: 'allow' });

describe('the simulator', () => {
  it('gives the live decisions back for an unchanged policy', () => {
    const records = [record('list_stacks'), record('deploy_stack'), record('list_stacks')];
    const result = simulateCalls(records, ALLOW_ALL);
    expect(result).toMatchObject({ total: 3, changed: [], counts: { allow: 3, deny: 0, approve: 0 } });
  });

  it('lists the calls whose outcome an edited policy changes, with the deciding rule', () => {
    const records = [record('list_stacks'), record('delete_stack'), record('deploy_stack')];
    const draft = compile({
      version: '1',
      default: 'allow',
      tools: { 'delete_*': { action: 'deny', reason: 'no deletes' }, 'deploy_*': { action: 'approve' } },
    });
    const { changed, counts } = simulateCalls(records, draft);
    expect(counts).toMatchObject({ allow: 1, deny: 1, approve: 1 });
    expect(changed).toEqual([
      expect.objectContaining({
        tool: 'delete_stack',
        was: 'allow',
        would: 'deny',
        rule: 'tools["delete_*"]',
        reason: 'no deletes',
      }),
      expect.objectContaining({ tool: 'deploy_stack', was: 'allow', would: 'approve' }),
    ]);
  });

  it('replays limits in time order from empty counters, whatever order the records come in', () => {
    const calls = [1, 2, 3].map(() => record('run_procedure'));
    const draft = compile({
      version: '1',
      default: 'allow',
      tools: { run_procedure: { limits: [{ counter: 'r', window: 'minute', max: 2, scope: 'grant' }] } },
    });
    const { changed, counts } = simulateCalls([...calls].reverse(), draft);
    expect(counts).toMatchObject({ allow: 2, rate_limited: 1 });
    expect(changed.map((c) => [c.id, c.would])).toEqual([[calls[2]!.id, 'rate_limited']]);
  });

  it('says "unknown" for an argument rule over redacted or truncated arguments, never a guess', () => {
    const draft = compile({
      version: '1',
      default: 'allow',
      tools: { echo: { args: { message: { maxLength: 5 } } } },
    });
    const records = [
      record('echo', { arguments: { message: 'hi' } }),
      record('echo', { arguments: { message: 'far too long' } }),
      record('echo', { arguments: { message: '[redacted sha256:0123456789ab]' } }),
      record('echo', { arguments: { message: 'abc… [truncated: 9000 characters, sha256 ff]' } }),
    ];
    const { counts, changed, notes } = simulateCalls(records, draft);
    expect(counts).toMatchObject({ allow: 1, invalid_args: 1, unknown: 2 });
    expect(changed.map((c) => c.would)).toEqual(['invalid_args']);
    expect(notes.join('\n')).toMatch(/2 calls had redacted or truncated arguments/);
    expect(notes[0]).toMatch(/^Arguments in the log are redacted/);
  });

  it('reads what the live engine did: asked, remembered, refused; the pause and the tripwire are not compared', () => {
    const records = [
      record('a', {
        decision: 'approve',
        status: 'ok',
        approval: { decision: 'approve', by: 'the user', at: 'x' },
      }),
      record('b', {
        decision: 'allow',
        reason: 'x requires approval; passed by a temporary approval from the user',
      }),
      record('c', { decision: 'deny', status: 'rate_limited' }),
      record('d', { decision: 'approve', rule: 'tripwire', status: 'rejected' }),
      record('resources/read', { exposedName: 'komodo resources/read file:///x' }),
    ];
    const draft = compile({ version: '1', default: 'approve' });
    const { total, changed, notes } = simulateCalls(records, draft);
    expect(total).toBe(4);
    expect(changed.map((c) => [c.tool, c.was, c.would])).toEqual([['c', 'rate_limited', 'approve']]);
    expect(notes.join('\n')).toMatch(
      /1 call decided by the pause, a changed tool definition or the tripwire/,
    );
  });

  it('reads --since', () => {
    expect(parseSince('7d')).toBe(7 * 86_400_000);
    expect(parseSince('30m')).toBe(1_800_000);
    expect(() => parseSince('soon')).toThrow(/--since takes a number and a unit/);
  });
});
