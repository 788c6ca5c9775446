import { describe, expect, it } from 'vitest';
import { checkPolicyText, formatCheckResult } from '../../../electron/gateway/policy/check.js';
import { DESIGN_EXAMPLE } from './helpers.js';

function warningsOf(policy: unknown): string[] {
  const result = checkPolicyText(JSON.stringify(policy, null, 2), 'policy.json');
  expect(result.errors).toEqual([]);
  return result.warnings.map((warning) => warning.message);
}

describe('policy check', () => {
  it('summarizes a valid policy on one line starting with ok', () => {
    const result = checkPolicyText(DESIGN_EXAMPLE, 'policy.json');
    expect(result).toMatchObject({ ok: true, errors: [], warnings: [] });
    expect(result.summary).toBe(
      'ok: policy.json — default deny, 4 tool rules, 1 server, 1 grant overlay, 1 rate-limit counter',
    );
    expect(formatCheckResult(result, 'policy.json')).toEqual({
      stdout: `${result.summary}\n`,
      stderr: '',
      exitCode: 0,
    });
  });

  it('prints each error on its own line, then the count, and exits 1', () => {
    const text =
      '{\n  "version": "1",\n  "approvalTimeoutSeconds": 0,\n  "tools": { "a": { "action": "maybe" } }\n}';
    const result = checkPolicyText(text, 'policy.json');
    expect(result.ok).toBe(false);
    const out = formatCheckResult(result, 'policy.json');
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    const lines = out.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^error: policy\.json line 3 column 29: approvalTimeoutSeconds must be at least 1 \(hint: .+\)$/,
    );
    expect(lines[1]).toBe(
      'error: policy.json line 4 column 31: tools.a.action must be one of allow, deny, approve ' +
        '(hint: allow runs the call, deny refuses it, approve asks a person first)',
    );
    expect(lines[2]).toBe('2 errors');
    expect(formatCheckResult(checkPolicyText('{', 'p.json'), 'p.json').stderr).toMatch(
      /^error: p\.json line 1 column 2: .*\n1 error\n$/,
    );
  });

  it('warns about a rule shadowed by a deny that matches every tool it matches', () => {
    const text =
      '{\n  "version": "1",\n  "tools": {\n    "delete_*": { "action": "deny" },\n    "delete_x": { "action": "allow" }\n  }\n}';
    const result = checkPolicyText(text, 'policy.json');
    expect(result.warnings).toEqual([
      {
        path: 'tools["delete_x"]',
        line: 5,
        column: 5,
        message: 'tools["delete_x"] can never decide: tools["delete_*"] denies every tool it matches',
      },
    ]);
    expect(formatCheckResult(result, 'policy.json').stdout.split('\n')).toEqual([
      'ok: policy.json — default deny, 2 tool rules, 0 servers, 0 grant overlays, 0 rate-limit counters',
      'warning: policy.json line 5 column 5: tools["delete_x"] can never decide: tools["delete_*"] denies every tool it matches',
      '',
    ]);
  });

  it('a monitored deny shadows no enforced rule, and an enforced one no monitored rule: they are decided apart', () => {
    const policy = (tools: object) => JSON.stringify({ version: '1', tools }, null, 2);
    expect(
      checkPolicyText(
        policy({ 'delete_*': { action: 'deny', monitor: true }, delete_x: { action: 'allow' } }),
      ).warnings,
    ).toEqual([]);
    expect(
      checkPolicyText(
        policy({ 'delete_*': { action: 'deny' }, delete_x: { action: 'allow', monitor: true } }),
      ).warnings,
    ).toEqual([]);
    expect(
      checkPolicyText(
        policy({
          'delete_*': { action: 'deny', monitor: true },
          delete_x: { action: 'allow', monitor: true },
        }),
      ).warnings,
    ).toHaveLength(1);
  });

  it('a deny shadows only the sections it always applies to', () => {
    expect(
      warningsOf({
        version: '1',
        tools: { 'rm*': { action: 'deny' } },
        servers: { s: { tools: { 'rm_*': { action: 'allow' } } } },
        grants: {
          g: {
            tools: { rm: { action: 'approve' } },
            servers: { s: { tools: { 'rm-*': { action: 'allow' } } } },
          },
        },
      }),
    ).toEqual([
      'servers.s.tools["rm_*"] can never decide: tools["rm*"] denies every tool it matches',
      'grants.g.tools["rm"] can never decide: tools["rm*"] denies every tool it matches',
      'grants.g.servers.s.tools["rm-*"] can never decide: tools["rm*"] denies every tool it matches',
    ]);
    expect(
      warningsOf({
        version: '1',
        servers: { s: { tools: { 'a*': { action: 'deny' } } } },
        grants: {
          g: { tools: { ab: { action: 'allow' } }, servers: { s: { tools: { ac: { action: 'allow' } } } } },
        },
        tools: { ad: { action: 'allow' } },
      }),
    ).toEqual([
      'grants.g.servers.s.tools["ac"] can never decide: servers.s.tools["a*"] denies every tool it matches',
    ]);
    expect(
      warningsOf({
        version: '1',
        grants: {
          g: { tools: { 'a*': { action: 'deny' } }, servers: { s: { tools: { ab: { action: 'allow' } } } } },
          h: { servers: { s: { tools: { ab: { action: 'allow' } } } } },
        },
        servers: { s: { tools: { ab: { action: 'allow' } } } },
      }),
    ).toEqual([
      'grants.g.servers.s.tools["ab"] can never decide: grants.g.tools["a*"] denies every tool it matches',
    ]);
  });

  it('no warning when the deny matches only some of the names', () => {
    expect(
      warningsOf({
        version: '1',
        tools: { 'delete_*_now': { action: 'deny' }, 'delete_*': { action: 'approve' } },
      }),
    ).toEqual([]);
    expect(
      warningsOf({ version: '1', tools: { 'a*b': { action: 'deny' }, 'a*': { action: 'allow' } } }),
    ).toEqual([]);
  });

  it('warns about a rule that a rule of the same section always beats', () => {
    expect(
      warningsOf({ version: '1', tools: { 'a*': { action: 'allow' }, '*a*': { action: 'approve' } } }),
    ).toEqual(['tools["a*"] can never decide: tools["*a*"] matches every tool it matches and wins']);
    expect(
      warningsOf({
        version: '1',
        tools: { 'a**': { action: 'allow' }, 'a*': { action: 'allow', reason: 'x' } },
      }),
    ).toEqual(['tools["a*"] can never decide: tools["a**"] matches every tool it matches and wins']);
    // More literal characters or an exact key win back.
    expect(
      warningsOf({
        version: '1',
        tools: { 'ab*': { action: 'allow' }, '*': { action: 'approve' }, ab: { action: 'allow' } },
      }),
    ).toEqual([]);
  });
});
