// settings.json "counters" (DESIGN.md §9): the exact names, the default of onUnavailable, strictness.
import { describe, expect, it } from 'vitest';
import { Settings, SettingsPatch } from '../../../shared/settings.js';

const problems = (value: unknown) => {
  const parsed = Settings.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('settings.json counters', () => {
  it('is absent by default: counters stay local', () => {
    expect(Settings.parse({}).counters).toBeUndefined();
  });

  it('takes redis and team, onUnavailable defaulting to deny', () => {
    expect(
      Settings.parse({ counters: { redis: 'redis://127.0.0.1:6379', team: 'platform' } }).counters,
    ).toEqual({
      redis: 'redis://127.0.0.1:6379',
      team: 'platform',
      onUnavailable: 'deny',
    });
    const tls = {
      redis: 'rediss://:s3cret@redis.example:6380/2',
      team: 'ci.agents-1',
      onUnavailable: 'local',
    };
    expect(Settings.parse({ counters: tls }).counters).toEqual(tls);
  });

  it('refuses another scheme, a bad team name, an unknown key and a missing key, naming the path', () => {
    expect(problems({ counters: { redis: 'http://127.0.0.1:6379', team: 't' } })).toEqual([
      'counters.redis: must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
    ]);
    expect(problems({ counters: { redis: 'redis://h', team: 'a team' } })).toEqual([
      'counters.team: must be 1 to 64 letters, digits, dots, dashes or underscores',
    ]);
    expect(problems({ counters: { redis: 'redis://h', team: 't', onUnavailable: 'allow' } })[0]).toMatch(
      /^counters.onUnavailable: /,
    );
    expect(problems({ counters: { redis: 'redis://h', team: 't', ttl: 3 } })[0]).toMatch(/^counters: .*ttl/);
    expect(problems({ counters: { redis: 'redis://h' } })[0]).toMatch(/^counters.team: /);
  });

  it('can be changed through PUT /api/settings as a whole object', () => {
    expect(SettingsPatch.parse({ counters: { redis: 'redis://h:1', team: 't' } })).toEqual({
      counters: { redis: 'redis://h:1', team: 't', onUnavailable: 'deny' },
    });
  });
});
