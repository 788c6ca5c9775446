// settings.json's OTLP headers (an API key) as the control API shows them — masked — and as a script sends them back.
import { describe, expect, it } from 'vitest';
import { MASK, maskSettings } from '../../../electron/gateway/control/mask.js';
import { unmaskSettingsPatch } from '../../../electron/gateway/control/unmask.js';
import { Settings } from '../../../shared/settings.js';

const KEY = `Bearer ${'otlpkey-7'.repeat(4)}`;
const settings = Settings.parse({
  otlp: { endpoint: 'http://collector.internal:4318', headers: { authorization: KEY, 'x-team': 'blue' } },
});

describe('the OTLP headers in settings', () => {
  it('are shown masked, every value, the endpoint as written', () => {
    const shown = maskSettings(settings);
    expect(shown.otlp).toEqual({
      endpoint: 'http://collector.internal:4318',
      headers: { authorization: MASK, 'x-team': MASK },
    });
    expect(JSON.stringify(shown)).not.toContain('otlpkey');
    expect(settings.otlp?.headers?.authorization).toBe(KEY); // the settings in force are untouched
    expect(maskSettings(Settings.parse({}))).toEqual(Settings.parse({}));
  });

  it('sent back as shown keep the stored values; a new value is taken; a mask inside a value is refused', () => {
    const stored = settings.otlp;
    const shown = maskSettings(settings);
    expect(unmaskSettingsPatch({ otlp: shown.otlp! }, stored)).toEqual({ patch: { otlp: settings.otlp } });
    const changed = {
      otlp: { ...shown.otlp!, headers: { authorization: 'Bearer new-one', 'x-team': MASK } },
    };
    expect(unmaskSettingsPatch(changed, stored)).toEqual({
      patch: { otlp: { ...settings.otlp, headers: { authorization: 'Bearer new-one', 'x-team': 'blue' } } },
    });
    const mixed = { otlp: { ...shown.otlp!, headers: { authorization: `Bearer ${MASK}` } } };
    expect(unmaskSettingsPatch(mixed, stored)).toEqual({
      refused: expect.stringContaining('otlp.headers.authorization'),
    });
    // A header the file does not hold cannot be "kept".
    expect(unmaskSettingsPatch({ otlp: { ...shown.otlp!, headers: { other: MASK } } }, stored)).toEqual({
      refused: expect.stringContaining('otlp.headers.other'),
    });
  });
});
