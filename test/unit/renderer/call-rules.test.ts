// What a rule action in a call's details becomes in policy.json, for this client or for all clients.
import { describe, expect, it } from 'vitest';
import {
  callRuleEdit,
  callRuleLabel,
  callRulePath,
  denyStillWinning,
  scopesOf,
} from '../../../renderer/src/lib/call-rules';

const call = { grant: 'cursor', server: 'ev', tool: 'echo' };

describe('scopesOf', () => {
  it('offers this client and all clients, and only all clients to a call without a grant', () => {
    expect(scopesOf(call)).toEqual(['client', 'all']);
    expect(scopesOf({ ...call, grant: '' })).toEqual(['all']);
  });
});

describe('callRuleEdit', () => {
  it('writes a whole rule in the grant overlay for this client, and in the server section for all clients', () => {
    expect(callRuleEdit({ version: '1' }, call, 'deny', 'client')).toEqual({
      path: ['grants', 'cursor', 'servers', 'ev', 'tools', 'echo'],
      value: { action: 'deny' },
    });
    expect(callRuleEdit({ version: '1' }, call, 'approve', 'all')).toEqual({
      path: ['servers', 'ev', 'tools', 'echo'],
      value: { action: 'approve' },
    });
  });

  it('changes only the action of an existing exact rule, keeping its args and limits', () => {
    const policy = {
      servers: { ev: { tools: { echo: { args: { message: { maxLength: 5 } } } } } },
      grants: { cursor: { servers: { ev: { tools: { echo: { action: 'deny' } } } } } },
    };
    expect(callRuleEdit(policy, call, 'allow', 'all')).toEqual({
      path: ['servers', 'ev', 'tools', 'echo', 'action'],
      value: 'allow',
    });
    expect(callRuleEdit(policy, call, 'allow', 'client')).toEqual({
      path: ['grants', 'cursor', 'servers', 'ev', 'tools', 'echo', 'action'],
      value: 'allow',
    });
  });

  it('writes for all clients when the call has no grant, whatever scope is asked', () => {
    expect(callRulePath({ ...call, grant: '' }, 'client')).toEqual(['servers', 'ev', 'tools', 'echo']);
  });
});

describe('callRuleLabel', () => {
  it('says what was written for whom, and where', () => {
    expect(callRuleLabel(call, 'deny', 'client')).toBe(
      'Deny for cursor written to policy.json at grants.cursor.servers.ev.tools.echo',
    );
    expect(callRuleLabel({ ...call, tool: 'get-sum' }, 'approve', 'all')).toBe(
      'Ask for all clients written to policy.json at servers.ev.tools["get-sum"]',
    );
    expect(callRuleLabel(call, 'allow', 'all')).toBe(
      'Allow for all clients written to policy.json at servers.ev.tools.echo',
    );
  });
});

describe('denyStillWinning', () => {
  it('names a base deny that matches the tool, for either scope', () => {
    const policy = { tools: { 'ec*': { action: 'deny' } } };
    expect(denyStillWinning(policy, call, 'client')).toBe('tools["ec*"]');
    expect(denyStillWinning(policy, call, 'all')).toBe('tools["ec*"]');
  });

  it('a deny in the exact rule being written is replaced, not a deny elsewhere', () => {
    const policy = {
      servers: { ev: { tools: { echo: { action: 'deny' } } } },
      grants: { cursor: { servers: { ev: { tools: { echo: { action: 'deny' } } } } } },
    };
    // For all clients the base rule is the one written, but this client's own deny still wins.
    expect(denyStillWinning(policy, call, 'all')).toBe('grants.cursor.servers.ev.tools.echo');
    // For this client the overlay rule is written, but the base deny still wins.
    expect(denyStillWinning(policy, call, 'client')).toBe('servers.ev.tools.echo');
  });

  it('ignores denies of other servers, other tools, other clients, and allows', () => {
    const policy = {
      tools: { 'delete_*': { action: 'deny' }, echo: { action: 'allow' } },
      servers: { fs: { tools: { echo: { action: 'deny' } } } },
      grants: { laptop: { tools: { echo: { action: 'deny' } } } },
    };
    expect(denyStillWinning(policy, call, 'client')).toBeUndefined();
    expect(denyStillWinning(policy, { ...call, grant: '' }, 'all')).toBeUndefined();
    expect(denyStillWinning(undefined, call, 'all')).toBeUndefined();
  });

  it('counts a deny of the grant overlay’s own tools section', () => {
    const policy = { grants: { cursor: { tools: { '*': { action: 'deny' } } } } };
    expect(denyStillWinning(policy, call, 'client')).toBe('grants.cursor.tools["*"]');
  });
});
