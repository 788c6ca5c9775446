// Team mode's policy in force: the team's policy checked like policy.json, and of the local policy.json only deny rules,
// only where the team allows an overlay — so no local rule can loosen what the team decides.
import { describe, expect, it } from 'vitest';
import { selectRule } from '../../../electron/gateway/policy/select.js';
import {
  parseTeamPolicy,
  teamPolicyInForce,
  type TeamPolicy,
} from '../../../electron/gateway/policy/team-overlay.js';

const URL = 'https://policies.example/team.json';

function team(policy: object): TeamPolicy {
  const parsed = parseTeamPolicy(JSON.stringify(policy), URL);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.team;
}

const action = (t: ReturnType<typeof teamPolicyInForce>, tool: string, server = 'ev', grant = '') =>
  selectRule(t.inForce.compiled, grant, server, tool).action;

const base = {
  version: '1',
  default: 'allow',
  tools: {
    'delete_*': { action: 'approve', reason: 'destructive' },
    run: { action: 'allow', limits: [{ counter: 'run', window: 'minute', max: 3, scope: 'global' }] },
    drop: { action: 'deny', reason: 'never' },
  },
};

const local = JSON.stringify({
  version: '1',
  default: 'allow',
  tools: {
    echo: { action: 'deny', reason: 'not here' },
    delete_file: { action: 'allow' },
    drop: { action: 'allow' },
    run: { action: 'deny', monitor: true },
  },
  servers: { ev: { resources: 'deny', prompts: 'allow', tools: { ['__proto__']: { action: 'deny' } } } },
  grants: { cursor: { tools: { 'list_*': { action: 'deny', reason: 'not from Cursor' } } } },
});

describe('a team policy', () => {
  it('is checked by the policy.json loader, its problems named by the URL with line and path', () => {
    const parsed = parseTeamPolicy('{"version": "1", "default": "maybe"}', URL);
    expect(parsed).toEqual({
      ok: false,
      problems: [
        `${URL} line 1 column 29: default must be one of allow, deny, approve (hint: allow runs the call, deny refuses it, approve asks a person first)`,
      ],
    });
    expect(parseTeamPolicy('{"version": "1",', URL).ok).toBe(false);
  });

  it('ignores policy.json without "x-allowLocalOverlay": the team policy is in force as fetched', () => {
    const t = team(base);
    const result = teamPolicyInForce({ team: t }, local);
    expect(result.inForce).toBe(t);
    expect(result.localIgnored).toBe(6);
    expect(action(result, 'echo')).toBe('allow');
    expect(action(result, 'delete_file')).toBe('approve');
    expect(
      action(teamPolicyInForce({ team: team({ ...base, 'x-allowLocalOverlay': false }) }, local), 'echo'),
    ).toBe('allow');
  });

  it('with "x-allowLocalOverlay": true adds only enforced deny rules of policy.json, never a looser one', () => {
    const result = teamPolicyInForce({ team: team({ ...base, 'x-allowLocalOverlay': true }) }, local);
    expect(result.localDenies).toBe(4); // echo, ev's __proto__ tool, ev's resources, cursor's list_*
    expect(result.localIgnored).toBe(3); // delete_file and drop (allow), run (a monitored deny)
    expect(action(result, 'echo')).toBe('deny');
    expect(selectRule(result.inForce.compiled, '', 'ev', 'echo').compiled?.reason).toBe('not here');
    expect(action(result, '__proto__')).toBe('deny');
    expect(action(result, 'list_x', 'ev', 'cursor')).toBe('deny');
    expect(action(result, 'list_x', 'ev', 'other')).toBe('allow');
    // A more specific local allow does not decide instead of the team's rules.
    expect(action(result, 'delete_file')).toBe('approve');
    expect(action(result, 'drop')).toBe('deny');
    // A monitored local deny does not replace the team's rule and its limits.
    expect(selectRule(result.inForce.compiled, '', 'ev', 'run').compiled?.limits).toHaveLength(1);
    const policy = JSON.parse(result.inForce.text) as { servers: { ev: Record<string, unknown> } };
    expect(policy.servers.ev.resources).toBe('deny');
    expect(policy.servers.ev.prompts).toBeUndefined();
    expect(result.inForce.version).not.toBe(team(base).version);
  });

  it('before any team policy has arrived, denies every tool with the reason', () => {
    const result = teamPolicyInForce({ waiting: 'the team policy has not arrived yet' }, local);
    const selection = selectRule(result.inForce.compiled, 'cursor', 'ev', 'anything');
    expect(selection.action).toBe('deny');
    expect(selection.compiled?.reason).toBe('the team policy has not arrived yet');
    expect(JSON.parse(result.inForce.text)).toMatchObject({ default: 'deny' });
  });
});
