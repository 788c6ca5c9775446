// The first-run screen shows while policy.json is the starter, however it is laid out — and not once it says more.
import { describe, expect, it } from 'vitest';
import { isStarterPolicy } from '../../../renderer/src/lib/first-run.js';

describe('isStarterPolicy', () => {
  it('is the starter in any layout', () => {
    expect(isStarterPolicy('{"version":"1","default":"approve"}')).toBe(true);
    expect(isStarterPolicy('{\n  "default": "approve",\n  "version": "1"\n}\n')).toBe(true);
  });
  it('is not a policy that says more, another default, or not JSON', () => {
    expect(isStarterPolicy('{"version":"1","default":"approve","tools":{}}')).toBe(false);
    expect(isStarterPolicy('{"version":"1","default":"allow"}')).toBe(false);
    expect(isStarterPolicy('{"version":"1",')).toBe(false);
    expect(isStarterPolicy('[]')).toBe(false);
  });
});
