import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeArgsOf, bridgeOptionsOf } from '../../../electron/shell/bridge-mode.js';

describe('the app started as its own bridge', () => {
  it('is recognised by --bridge anywhere in argv, taking what follows it', () => {
    expect(bridgeArgsOf(['/opt/Gatehouse/gatehouse'])).toBeUndefined();
    expect(bridgeArgsOf(['/opt/Gatehouse/gatehouse', '--bridge', '--grant', 'claude'])).toEqual([
      '--grant',
      'claude',
    ]);
    // Electron in development: electron . --bridge …
    expect(bridgeArgsOf(['electron', '.', '--bridge', '--grant', 'c', '--server', 'ev'])).toEqual([
      '--grant',
      'c',
      '--server',
      'ev',
    ]);
  });

  it('takes the options of gatehouse bridge, the home from --home or GATEHOUSE_HOME', () => {
    expect(bridgeOptionsOf(['--grant', 'claude', '--home', '/tmp/h'], {})).toEqual({
      home: '/tmp/h',
      grant: 'claude',
    });
    expect(bridgeOptionsOf(['--grant=claude', '--server', 'ev'], { GATEHOUSE_HOME: 'rel/home' })).toEqual({
      home: path.resolve('rel/home'),
      grant: 'claude',
      server: 'ev',
    });
  });

  it('says what is wrong with its arguments', () => {
    expect(() => bridgeOptionsOf([], {})).toThrow('--bridge needs --grant NAME');
    expect(() => bridgeOptionsOf(['--grant', 'c', '--port', '1'], {})).toThrow(/--port/);
    expect(() => bridgeOptionsOf(['--grant', 'c', 'extra'], {})).toThrow(/extra/);
  });
});
