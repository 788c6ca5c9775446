// What a click in the Tools view becomes in policy.json, given the policy as last read.
import { describe, expect, it } from 'vitest';
import {
  denyElsewhere,
  denyRulesOf,
  keyMatches,
  serverDefaultEdit,
  serverDefaultOf,
  toolActionEdit,
} from '../../../renderer/src/lib/policy-edits';

describe('toolActionEdit', () => {
  it('sets only the action of an existing exact rule, so its args, limits and reason stay', () => {
    const policy = {
      servers: {
        ev: { tools: { 'get-sum': { limits: [{ counter: 's', window: 'minute', max: 1 }], reason: 'r' } } },
      },
    };
    expect(toolActionEdit(policy, 'ev', 'get-sum', 'deny')).toEqual({
      path: ['servers', 'ev', 'tools', 'get-sum', 'action'],
      value: 'deny',
    });
  });

  it('writes a whole rule when the server, its tools or the tool are missing', () => {
    const want = { path: ['servers', 'ev', 'tools', 'echo'], value: { action: 'approve' } };
    expect(toolActionEdit({ version: '1' }, 'ev', 'echo', 'approve')).toEqual(want);
    expect(toolActionEdit({ servers: { ev: { default: 'allow' } } }, 'ev', 'echo', 'approve')).toEqual(want);
    expect(toolActionEdit({ servers: { ev: { tools: { other: {} } } } }, 'ev', 'echo', 'approve')).toEqual(
      want,
    );
    expect(toolActionEdit(undefined, 'ev', 'echo', 'approve')).toEqual(want);
  });

  it('does not take a base `tools` rule or a glob for the tool’s own rule', () => {
    const policy = {
      tools: { echo: { action: 'deny' } },
      servers: { ev: { tools: { 'ec*': { action: 'allow' } } } },
    };
    expect(toolActionEdit(policy, 'ev', 'echo', 'allow').path).toEqual(['servers', 'ev', 'tools', 'echo']);
  });

  it('treats `__proto__` and other inherited names as plain keys', () => {
    const policy = JSON.parse('{"servers":{"ev":{"tools":{"__proto__":{"action":"deny"}}}}}') as unknown;
    expect(toolActionEdit(policy, 'ev', '__proto__', 'allow').path).toEqual([
      'servers',
      'ev',
      'tools',
      '__proto__',
      'action',
    ]);
    expect(toolActionEdit({ servers: { ev: { tools: {} } } }, 'ev', 'constructor', 'allow').path).toEqual([
      'servers',
      'ev',
      'tools',
      'constructor',
    ]);
  });
});

describe('server defaults', () => {
  it('sets the default, or removes it to follow the policy default', () => {
    expect(serverDefaultEdit('ev', 'deny')).toEqual({ path: ['servers', 'ev', 'default'], value: 'deny' });
    expect(serverDefaultEdit('ev', undefined)).toEqual({ path: ['servers', 'ev', 'default'], value: null });
  });

  it('reads the server’s own default', () => {
    expect(serverDefaultOf({ servers: { ev: { default: 'approve' } } }, 'ev')).toBe('approve');
    expect(serverDefaultOf({ default: 'deny' }, 'ev')).toBeUndefined();
    expect(serverDefaultOf({ servers: { ev: { default: 'bogus' } } }, 'ev')).toBeUndefined();
  });
});

describe('keyMatches', () => {
  it('matches `*` as any run of characters, including none, and nothing else as a wildcard', () => {
    expect(keyMatches('echo', 'echo')).toBe(true);
    expect(keyMatches('echo', 'echo2')).toBe(false);
    expect(keyMatches('get-*', 'get-sum')).toBe(true);
    expect(keyMatches('get-*', 'get-')).toBe(true);
    expect(keyMatches('*', 'anything')).toBe(true);
    expect(keyMatches('*-*-*', 'a-b')).toBe(false);
    expect(keyMatches('a*a', 'a')).toBe(false);
    expect(keyMatches('a*b*c', 'abc')).toBe(true);
    expect(keyMatches('a*b*c', 'acb')).toBe(false);
    expect(keyMatches('get.sum', 'getXsum')).toBe(false);
    expect(keyMatches('Echo', 'echo')).toBe(false);
  });
});

describe('denyElsewhere', () => {
  const policy = {
    tools: { 'delete_*': { action: 'deny' }, echo: { action: 'allow' } },
    servers: {
      ev: {
        tools: { 'get-env': { action: 'deny' }, 'get-*': { action: 'deny' }, echo: { action: 'approve' } },
      },
      other: { tools: { echo: { action: 'deny' } } },
    },
  };
  const denies = denyRulesOf(policy);

  it('names a glob or base deny that would still win over the tool’s own rule', () => {
    expect(denyElsewhere(denies, 'ev', 'delete_all')).toBe('tools["delete_*"]');
    expect(denyElsewhere(denies, 'ev', 'get-sum')).toBe('servers.ev.tools["get-*"]');
    expect(denyElsewhere(denies, 'ev', 'get-env')).toBe('servers.ev.tools["get-*"]');
  });

  it('ignores the tool’s own exact rule, other servers’ rules and rules that do not deny', () => {
    expect(denyElsewhere(denies, 'ev', 'echo')).toBeUndefined();
    expect(
      denyElsewhere(denyRulesOf({ servers: { ev: { tools: { x: { action: 'deny' } } } } }), 'ev', 'x'),
    ).toBe(undefined);
  });

  it('finds none in a policy without rules or one that is not JSON', () => {
    expect(denyRulesOf({ version: '1', default: 'deny' })).toEqual([]);
    expect(denyRulesOf(undefined)).toEqual([]);
  });
});

describe('toolActionEdit for one client', () => {
  it('edits the grant overlay: only the action of an existing exact rule, else a new rule', () => {
    const policy = {
      grants: { cursor: { servers: { ev: { tools: { echo: { action: 'allow', limits: [] } } } } } },
    };
    expect(toolActionEdit(policy, 'ev', 'echo', 'deny', 'cursor')).toEqual({
      path: ['grants', 'cursor', 'servers', 'ev', 'tools', 'echo', 'action'],
      value: 'deny',
    });
    expect(toolActionEdit(policy, 'ev', 'echo', 'deny', 'claude')).toEqual({
      path: ['grants', 'claude', 'servers', 'ev', 'tools', 'echo'],
      value: { action: 'deny' },
    });
    // The base rule is not the overlay's: a base rule for the tool leaves the overlay edit whole.
    expect(
      toolActionEdit({ servers: { ev: { tools: { echo: {} } } } }, 'ev', 'echo', 'deny', 'cursor').value,
    ).toEqual({ action: 'deny' });
  });
});

describe('denyRulesOf', () => {
  it('leaves out a watched (monitor) deny: it is not enforced, so it never wins', () => {
    const policy = {
      tools: { 'delete_*': { action: 'deny', monitor: true }, 'drop_*': { action: 'deny' } },
    };
    expect(denyRulesOf(policy).map((d) => d.key)).toEqual(['drop_*']);
  });
});
