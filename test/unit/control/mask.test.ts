// What the servers API shows of servers.json: secrets in args, the command, the URL and headers masked like env
// values, and the status's stderr tail and error masked the same way.
import { describe, expect, it } from 'vitest';
import { maskServerConfig, maskStatus, maskText } from '../../../electron/gateway/control/mask.js';
import type { ServerConfig, UpstreamStatus } from '../../../shared/servers.js';

const MASK = '••••••';
const SK = `sk-${'q7W'.repeat(16)}`;

function expectNone(value: unknown, secrets: string[]): void {
  const text = JSON.stringify(value);
  for (const secret of secrets) expect(text, secret).not.toContain(secret);
}

describe('maskServerConfig: a stdio server', () => {
  const config: ServerConfig = {
    command: 'node',
    args: [
      '/opt/servers/db.js',
      '--api-key',
      SK,
      '--token=tok-0123456789',
      '--password',
      'hunter22',
      '--no-auth',
      '/data',
      'postgres://app:db-pass-9@db.internal:5432/app',
      'https://deploy:deploy-pass@registry.example.com/v2',
      'API_KEY=inline-key-77',
      '--verbose',
    ],
    env: { GITHUB_TOKEN: 'ghp_whatever', LOG_LEVEL: 'debug' },
    cwd: '/srv',
  };

  it('masks flag values, key=value pairs, DSN and URL passwords, known token formats', () => {
    const shown = maskServerConfig(config);
    expectNone(shown, [
      SK,
      'tok-0123456789',
      'hunter22',
      'db-pass-9',
      'deploy-pass',
      'inline-key-77',
      'ghp_whatever',
    ]);
    expect(shown.args).toEqual([
      '/opt/servers/db.js',
      '--api-key',
      MASK,
      `--token=${MASK}`,
      '--password',
      MASK,
      '--no-auth',
      '/data',
      `postgres://app:${MASK}@db.internal:5432/app`,
      `https://deploy:${MASK}@registry.example.com/v2`,
      `API_KEY=${MASK}`,
      '--verbose',
    ]);
    expect(shown.env).toEqual({ GITHUB_TOKEN: MASK, LOG_LEVEL: MASK });
    expect(shown).toMatchObject({ command: 'node', cwd: '/srv' });
  });

  it('masks a secret value wherever else it appears in the arguments', () => {
    const shown = maskServerConfig({
      command: 'sh',
      args: ['--api-key', 'plain-value-123', '-c', 'run plain-value-123'],
    });
    expect(shown.args).toEqual(['--api-key', MASK, '-c', `run ${MASK}`]);
  });
});

describe('maskServerConfig: an HTTP server', () => {
  it('masks credentials, query values, token-like path segments and header values, without percent-encoding', () => {
    const token = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4';
    const shown = maskServerConfig({
      url: `https://user:pa%24s@mcp.example.com/u/${token}/mcp?api_key=k-1&region=eu#frag`,
      headers: { Authorization: 'Bearer xyz-123', 'X-Team': 'blue' },
    });
    expectNone(shown, ['pa%24s', 'pa$s', token, 'k-1', 'xyz-123']);
    expect(shown.url).toBe(
      `https://user:${MASK}@mcp.example.com/u/${MASK}/mcp?api_key=${MASK}&region=${MASK}#frag`,
    );
    expect(shown.headers).toEqual({ Authorization: MASK, 'X-Team': MASK });
  });

  it('masks a user part that stands alone (a token as the user name)', () => {
    expect(
      maskServerConfig({ url: 'https://ghs_abcdefghijklmnopqrstuv012345@git.example.com/mcp' }).url,
    ).toBe(`https://${MASK}@git.example.com/mcp`);
  });

  it('leaves a plain URL as it is', () => {
    expect(maskServerConfig({ url: 'http://127.0.0.1:3001/mcp' }).url).toBe('http://127.0.0.1:3001/mcp');
  });
});

describe('maskStatus: the stderr tail and the error', () => {
  const status = (lines: string[], error?: string): UpstreamStatus => ({
    name: 'db',
    transport: 'stdio',
    state: 'failed',
    restarts: 1,
    toolCount: 0,
    stderrTail: lines,
    ...(error !== undefined ? { error } : {}),
  });
  const servers: Record<string, ServerConfig> = {
    db: { command: 'node', args: ['db.js', '--api-key', 'flag-secret-42'] },
  };

  it('masks what the config holds and what the finder recognizes', () => {
    const grant = `gh_${'Zx9'.repeat(14)}y`;
    const shown = maskStatus(
      status(
        [
          'using key flag-secret-42',
          'connecting to postgres://app:pw-in-dsn@db/app',
          'fetching https://x.example/f?X-Amz-Signature=0a1b2c3d4e5f',
          `client sent ${grant}`,
          'ready',
        ],
        'exited (code 1) during startup; its last words: password=oops-1',
      ),
      servers,
    );
    expectNone(shown, ['flag-secret-42', 'pw-in-dsn', '0a1b2c3d4e5f', grant, 'oops-1']);
    expect(shown.stderrTail.at(-1)).toBe('ready');
    expect(shown.stderrTail[0]).toBe(`using key ${MASK}`);
  });

  it('masks a removed server (no config) and a server named like an Object.prototype key', () => {
    expect(maskStatus({ ...status(['token=abc12345']), name: 'constructor' }, servers).stderrTail).toEqual([
      `token=${MASK}`,
    ]);
  });

  it('maskText masks given values, longest first', () => {
    expect(maskText('a secret-long and secret', ['secret-long', 'secret'])).toBe(`a ${MASK} and ${MASK}`);
  });
});
