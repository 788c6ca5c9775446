// A config sent back as the API showed it: masks keep the stored secrets; a mask anywhere else is refused by field.
import { describe, expect, it } from 'vitest';
import { MASK, maskServerConfig } from '../../../electron/gateway/control/mask.js';
import { unmaskServerConfig } from '../../../electron/gateway/control/unmask.js';
import { ServerConfig } from '../../../shared/servers.js';

const SK = `sk-${'q7W'.repeat(16)}`;
const stdio: ServerConfig = {
  command: 'node',
  args: ['/opt/db.js', '--api-key', SK, '--token=tok-0123456789', 'postgres://app:db-pass-9@db:5432/app'],
  env: { GITHUB_TOKEN: 'ghp_whatever', LOG_LEVEL: 'debug' },
  cwd: '/srv',
};
const http: ServerConfig = {
  url: 'https://user:pa55word@mcp.example.com/v1/abcdefghijklmnop1234567890?key=qv-123456',
  headers: { Authorization: 'Bearer sekrit-value-42' },
};
/** What the dashboard got from the API, as it would send it back. */
const shownOf = (config: ServerConfig) => ServerConfig.parse(maskServerConfig(config));

describe('unmaskServerConfig', () => {
  it('gives back the stored config, byte for byte, for the config as shown', () => {
    expect(unmaskServerConfig(shownOf(stdio), stdio)).toEqual({ config: stdio });
    expect(unmaskServerConfig(shownOf(http), http)).toEqual({ config: http });
    expect(JSON.stringify(shownOf(http))).not.toContain('pa55word');
  });

  it('keeps the shown secrets and writes what changed: disabled, a new env value, a new argument', () => {
    const shown = shownOf(stdio) as typeof stdio;
    const edited = {
      ...shown,
      disabled: true,
      args: ['--verbose', ...(shown.args ?? [])],
      env: { ...shown.env, GITHUB_TOKEN: 'ghp_new', EXTRA: 'x' },
    };
    expect(unmaskServerConfig(edited, stdio)).toEqual({
      config: {
        ...stdio,
        disabled: true,
        args: ['--verbose', ...(stdio.args ?? [])],
        env: { GITHUB_TOKEN: 'ghp_new', LOG_LEVEL: 'debug', EXTRA: 'x' },
      },
    });
  });

  it('keeps a masked header per key and a masked URL whole', () => {
    const shown = shownOf(http) as typeof http;
    const edited = { ...shown, headers: { ...shown.headers, 'X-Team': 'blue' } };
    expect(unmaskServerConfig(edited, http)).toEqual({
      config: { ...http, headers: { Authorization: 'Bearer sekrit-value-42', 'X-Team': 'blue' } },
    });
  });

  it('refuses a mask in a new place, naming the field', () => {
    const shown = shownOf(stdio) as typeof stdio;
    const refused = (config: ServerConfig, stored: ServerConfig | null = stdio) =>
      unmaskServerConfig(config, stored ?? undefined);
    expect(refused({ ...shown, args: [...(shown.args ?? []), `--x=${MASK}1`] })).toEqual({
      refused: expect.stringMatching(/^re-enter the secret of args\[5\]: it was shown masked/),
    });
    expect(refused({ ...shown, env: { NEW_KEY: MASK } })).toEqual({
      refused: expect.stringContaining('env.NEW_KEY'),
    });
    expect(refused({ ...shown, cwd: `/srv/${MASK}` })).toEqual({ refused: expect.stringContaining('cwd') });
    expect(refused({ ...shown, command: `${MASK}x` })).toEqual({
      refused: expect.stringContaining('command'),
    });
    // Shown for another server: nothing stored to stand for.
    expect(refused(shown, null)).toEqual({ refused: expect.stringContaining('args[2]') });
    const shownHttp = shownOf(http) as typeof http;
    expect(refused({ ...shownHttp, url: `${shownHttp.url}&more=1` }, http)).toEqual({
      refused: expect.stringContaining('re-enter the secret of url'),
    });
  });

  it('an argument shown as a bare mask, moved, keeps its value only when that mask stands for one value', () => {
    const two: ServerConfig = {
      command: 'x',
      args: ['--api-key', 'first-secret', '--password', 'second-secret'],
    };
    const shown = shownOf(two) as { command: string; args: string[] };
    expect(shown.args).toEqual(['--api-key', MASK, '--password', MASK]);
    expect(unmaskServerConfig({ command: 'x', args: ['--api-key', MASK] }, two)).toEqual({
      config: { command: 'x', args: ['--api-key', 'first-secret'] },
    });
    expect(unmaskServerConfig({ command: 'x', args: ['-v', '--password', MASK] }, two)).toEqual({
      refused: expect.stringContaining('args[2]'),
    });
  });
});
