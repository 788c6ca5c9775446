import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatPolicyError,
  parsePolicyText,
  type PolicyError,
} from '../../../electron/gateway/policy/load.js';
import { POLICY_SCHEMA_FILE, policySchemaText } from '../../../scripts/generate-policy-schema.js';
import { PolicySchema, STARTER_POLICY } from '../../../shared/policy.js';
import { DESIGN_EXAMPLE, SEED_EXAMPLE } from './helpers.js';

function errorsOf(text: string): PolicyError[] {
  const result = parsePolicyText(text);
  if (result.ok) throw new Error('expected the policy to be invalid');
  return result.errors;
}

function only(text: string): PolicyError {
  const errors = errorsOf(text);
  expect(errors).toHaveLength(1);
  return errors[0] as PolicyError;
}

const policy = (rest: string) => `{\n  "version": "1",\n${rest}\n}`;

describe('valid policies', () => {
  it('the seed example, the example of DESIGN.md and the starter policy load', () => {
    for (const text of [SEED_EXAMPLE, DESIGN_EXAMPLE, JSON.stringify(STARTER_POLICY)]) {
      expect(parsePolicyText(text).ok).toBe(true);
    }
  });

  it('defaults: approvalTimeoutSeconds 50, limit scope global', () => {
    const result = parsePolicyText(
      '{"version":"1","tools":{"a":{"limits":[{"counter":"c","window":"day","max":1}]}}}',
    );
    expect(result.ok && result.policy.approvalTimeoutSeconds).toBe(50);
    expect(result.ok && result.policy.tools?.a?.limits?.[0]?.scope).toBe('global');
    expect(result.ok && result.policy.default).toBeUndefined();
  });

  it('accepts $schema and x- keys in every strict object', () => {
    const text = JSON.stringify({
      $schema: './policy.schema.json',
      'x-owner': 'ops',
      version: '1',
      tools: {
        t: {
          'x-note': 1,
          limits: [{ 'x-why': 'cost', counter: 'c', window: { seconds: 5, 'x-a': 1 }, max: 1 }],
          args: { a: { 'x-doc': 'id', pattern: '[0-9]+' } },
        },
      },
      servers: { s: { 'x-team': 'infra', default: 'allow' } },
      grants: { g: { 'x-who': 'me', servers: { s: { 'x-y': true, sampling: 'deny' } } } },
    });
    expect(parsePolicyText(text).ok).toBe(true);
  });

  it('a tool key may itself start with x- (records are not strict objects)', () => {
    expect(parsePolicyText('{"version":"1","tools":{"x-tool":{"action":"deny"}}}').ok).toBe(true);
  });
});

describe('invalid policies name the path, the line and what to do', () => {
  it('an unknown key', () => {
    const error = only(policy('  "tools": {\n    "run": { "action": "allow", "limit": 3 }\n  }'));
    expect(error).toMatchObject({ path: 'tools.run.limit', line: 4, column: 33 });
    expect(error.message).toBe('is not a known key of a rule');
    expect(error.hint).toContain('action, reason, limits, args');
    expect(only('{"version":"1","defaults":"deny"}')).toMatchObject({
      path: 'defaults',
      line: 1,
      column: 16,
    });
  });

  it('a bad window', () => {
    const text = policy(
      '  "tools": {\n    "run_procedure": {\n      "limits": [\n        { "counter": "c", "window": "week", "max": 1 }\n      ]\n    }\n  }',
    );
    const error = only(text);
    expect(error).toMatchObject({
      path: 'tools.run_procedure.limits[0].window',
      line: 6,
      column: 37,
      message: 'must be one of second, minute, hour, day, or {"seconds": N}',
    });
    expect(formatPolicyError(error, 'policy.json')).toMatch(
      /^policy\.json line 6 column 37: tools\.run_procedure\.limits\[0\]\.window must be one of second, minute, hour, day, or \{"seconds": N\} \(hint: .+\)$/,
    );
    expect(
      only(policy('"tools":{"a":{"limits":[{"counter":"c","window":{"seconds":0},"max":1}]}}')).path,
    ).toBe('tools.a.limits[0].window.seconds');
    expect(only(policy('"tools":{"a":{"limits":[{"counter":"c","window":7,"max":1}]}}')).message).toBe(
      'must be one of second, minute, hour, day, or {"seconds": N}',
    );
  });

  it('max 0', () => {
    expect(only(policy('"tools":{"a":{"limits":[{"counter":"c","window":"day","max":0}]}}'))).toMatchObject({
      path: 'tools.a.limits[0].max',
      message: 'must be at least 1',
    });
  });

  it('a bad action, with bracket-quoted keys', () => {
    expect(only(policy('"tools":{"delete_*":{"action":"ask"}}'))).toMatchObject({
      path: 'tools["delete_*"].action',
      message: 'must be one of allow, deny, approve',
    });
    expect(only(policy('"servers":{"komodo":{"sampling":"yes"}}')).path).toBe('servers.komodo.sampling');
  });

  it('a bad regex', () => {
    const error = only(policy('"tools":{"run":{"args":{"cmd":{"pattern":"(ls"}}}}'));
    expect(error.path).toBe('tools.run.args.cmd.pattern');
    expect(error.message).toMatch(/^is not a valid RE2 pattern: .*missing closing \)/);
    expect(only(policy('"tools":{"run":{"args":{"cmd":{"pattern":"(a)\\\\1"}}}}')).path).toBe(
      'tools.run.args.cmd.pattern',
    );
  });

  it('counters that disagree, naming both paths', () => {
    const error = only(
      policy(
        '"tools":{"a":{"limits":[{"counter":"c","window":"minute","max":3}]}},' +
          '"servers":{"s":{"tools":{"b":{"limits":[{"counter":"c","window":"minute","max":4}]}}}}',
      ),
    );
    expect(error.path).toBe('servers.s.tools.b.limits[0]');
    expect(error.message).toContain('tools.a.limits[0]');
    expect(error.message).toContain('counter "c"');
    expect(
      only(
        policy(
          '"tools":{"a":{"limits":[{"counter":"c","window":"minute","max":3},{"counter":"c","window":"minute","max":3,"scope":"grant"}]}}',
        ),
      ).path,
    ).toBe('tools.a.limits[1]');
  });

  it('approvalTimeoutSeconds 0 and 3601', () => {
    expect(only(policy('"approvalTimeoutSeconds": 0'))).toMatchObject({
      path: 'approvalTimeoutSeconds',
      line: 3,
      message: 'must be at least 1',
    });
    expect(only(policy('"approvalTimeoutSeconds": 3601')).message).toBe('must be at most 3600');
    expect(only(policy('"approvalTimeoutSeconds": 2.5')).message).toBe('must be a whole number');
  });

  it('a rule with no action, limits or args', () => {
    expect(only(policy('"tools":{"a":{"reason":"why"}}'))).toMatchObject({
      path: 'tools.a',
      message: 'must have at least one of action, limits, args',
    });
  });

  it('a JSON syntax error with line and column', () => {
    const error = only('{\n  "version": "1"\n  "default": "deny"\n}');
    expect(error).toMatchObject({ path: '', line: 3, column: 3 });
    expect(error.message).toMatch(/^invalid JSON/);
    expect(formatPolicyError(error, 'p.json')).toMatch(/^p\.json line 3 column 3: invalid JSON: /);
  });

  it('a trailing comma and a comment', () => {
    expect(only('{\n  "version": "1",\n  "default": "deny",\n}')).toMatchObject({
      line: 4,
      column: 1,
      message: 'invalid JSON: trailing comma',
    });
    expect(
      only('{"version":"1","tools":{"a":{"limits":[{"counter":"c","window":"day","max":1},]}}}').message,
    ).toBe('invalid JSON: trailing comma');
    expect(only('{\n  // note\n  "version": "1"\n}')).toMatchObject({
      line: 2,
      column: 3,
      message: 'invalid JSON: comments are not allowed',
    });
  });

  it('a missing or wrong version, a non-object, an empty file, a duplicate key', () => {
    expect(only('{"default":"deny"}')).toMatchObject({ path: 'version', message: 'is required' });
    expect(only('{"version":1}')).toMatchObject({ path: 'version', message: 'must be "1"' });
    expect(only('[]')).toMatchObject({ path: '', message: 'the policy must be an object' });
    expect(only('   ').message).toBe('invalid JSON: the file is empty');
    expect(only('{"version":"1","tools":{"a":{"action":"allow"},"a":{"action":"deny"}}}')).toMatchObject({
      path: 'tools.a',
      message: 'appears twice in the same object',
    });
  });

  it('bad argument rules', () => {
    expect(only(policy('"tools":{"a":{"args":{"n":{"maxLength":-1}}}}')).path).toBe(
      'tools.a.args.n.maxLength',
    );
    expect(only(policy('"tools":{"a":{"args":{"n":{"enum":"x"}}}}'))).toMatchObject({
      path: 'tools.a.args.n.enum',
      message: 'must be an array',
    });
    expect(only(policy('"tools":{"a":{"args":{"n":{"min":"1"}}}}')).message).toBe('must be a number');
    expect(only(policy('"tools":{"a":{"args":{"n":{"regex":"x"}}}}')).path).toBe('tools.a.args.n.regex');
  });

  it('reports every error at once, in file order', () => {
    const errors = errorsOf(
      '{\n"version":"2",\n"tools":{"a":{"action":"nope","args":{"x":{"pattern":"["}}}},\n"grants":{"g":{"bogus":1}}\n}',
    );
    expect(errors.map((error) => [error.path, error.line])).toEqual([
      ['version', 2],
      ['tools.a.action', 3],
      ['tools.a.args.x.pattern', 3],
      ['grants.g.bogus', 4],
    ]);
  });
});

describe('policy.schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema`)', () => {
    expect(fs.readFileSync(POLICY_SCHEMA_FILE, 'utf8')).toBe(policySchemaText());
  });

  it('is strict except for x- keys', () => {
    const schema = JSON.parse(policySchemaText()) as Record<string, unknown>;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.patternProperties).toEqual({ '^x-': {} });
  });

  it('the zod schema rejects what the loader rejects', () => {
    expect(PolicySchema.safeParse({ version: '1', nope: 1 }).success).toBe(false);
    expect(PolicySchema.safeParse({ version: '1', 'x-ok': 1 }).success).toBe(true);
  });
});
