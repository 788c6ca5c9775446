// The team policy's URL in settings as the control API shows it — its credentials masked — and as a script sends it
// back: unchanged keeps the stored URL, a mask anywhere else is refused.
import { describe, expect, it } from 'vitest';
import { MASK, maskSettings } from '../../../electron/gateway/control/mask.js';
import { unmaskSettingsPatch } from '../../../electron/gateway/control/unmask.js';
import { Settings } from '../../../shared/settings.js';

const URL_WITH_PASSWORD = 'https://ops:t3am-pass@policies.example/gatehouse/policy.json';
const settings = Settings.parse({ policySource: { url: URL_WITH_PASSWORD } });

describe('the team policy URL in settings', () => {
  it('has a default refresh of 60 s, at least 5 s, and is http(s) only', () => {
    expect(settings.policySource).toEqual({ url: URL_WITH_PASSWORD, refreshSeconds: 60 });
    expect(Settings.safeParse({ policySource: { url: URL_WITH_PASSWORD, refreshSeconds: 4 } }).success).toBe(
      false,
    );
    expect(Settings.safeParse({ policySource: { url: 'file:///etc/policy.json' } }).success).toBe(false);
  });

  it('is shown with its password masked, the rest as written', () => {
    const shown = maskSettings(settings);
    expect(shown.policySource?.url).toBe(`https://ops:${MASK}@policies.example/gatehouse/policy.json`);
    expect(JSON.stringify(shown)).not.toContain('t3am-pass');
    expect(Settings.parse(shown)).toEqual(shown);
  });

  it('sent back as shown keeps the stored URL; another URL with the mask is refused', () => {
    const shown = maskSettings(settings).policySource!;
    expect(unmaskSettingsPatch({ policySource: shown }, undefined, undefined, settings.policySource)).toEqual(
      {
        patch: { policySource: settings.policySource },
      },
    );
    const moved = { ...shown, url: shown.url.replace('policies.example', 'evil.example') };
    expect(unmaskSettingsPatch({ policySource: moved }, undefined, undefined, settings.policySource)).toEqual(
      {
        refused: expect.stringMatching(/^policySource\.url holds the mask/),
      },
    );
  });
});
