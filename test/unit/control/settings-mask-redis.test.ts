// The team counters' Redis URL in settings as the control API shows it — its password masked — and as a script sends
// it back.
import { describe, expect, it } from 'vitest';
import { MASK, maskSettings } from '../../../electron/gateway/control/mask.js';
import { unmaskSettingsPatch } from '../../../electron/gateway/control/unmask.js';
import { Settings } from '../../../shared/settings.js';

const URL_WITH_PASSWORD = 'rediss://:s3cr3t-team-pass@redis.internal:6380/2';
const settings = Settings.parse({ counters: { redis: URL_WITH_PASSWORD, team: 'platform' } });

describe('the counters Redis URL in settings', () => {
  it('is shown with its password masked, the rest as written', () => {
    const shown = maskSettings(settings);
    expect(shown.counters).toEqual({
      redis: `rediss://:${MASK}@redis.internal:6380/2`,
      team: 'platform',
      onUnavailable: 'deny',
    });
    expect(JSON.stringify(shown)).not.toContain('s3cr3t');
    expect(Settings.parse(shown)).toEqual(shown); // still valid settings, as the operation's output schema checks
    expect(
      maskSettings(Settings.parse({ counters: { redis: 'redis://h:1', team: 't' } })).counters?.redis,
    ).toBe('redis://h:1');
  });

  it('sent back as shown keeps the stored URL; a new URL is taken; another URL with the mask is refused', () => {
    const shown = maskSettings(settings).counters!;
    expect(unmaskSettingsPatch({ counters: shown }, undefined, settings.counters)).toEqual({
      patch: { counters: settings.counters },
    });
    const fresh = { ...shown, redis: 'redis://:new@h:1' };
    expect(unmaskSettingsPatch({ counters: fresh }, undefined, settings.counters)).toEqual({
      patch: { counters: fresh },
    });
    const moved = { ...shown, redis: `rediss://:${MASK}@elsewhere:6380/2` };
    expect(unmaskSettingsPatch({ counters: moved }, undefined, settings.counters)).toEqual({
      refused: expect.stringMatching(/^counters.redis holds the mask/),
    });
    expect(unmaskSettingsPatch({ counters: shown }, undefined, undefined)).toEqual({
      refused: expect.stringMatching(/^counters.redis/),
    });
  });
});
