import { describe, expect, it } from 'vitest';
import {
  isSecretName,
  redactForLog,
  redactString,
  redactValue,
  secretMarker,
} from '../../../electron/gateway/log/redact.js';
import { argsHash, canonicalJson } from '../../../electron/gateway/log/canonical.js';

const MARKER = /^\[redacted sha256:[0-9a-f]{12}\]$/;

// Token-shaped test values, built at run time so no scanner mistakes this file for a leak.
const gh = (prefix: string) => `${prefix}_${'A1b2C3d4E5'.repeat(4)}`;
const GHP = gh('ghp');
const SK = `sk-${'q7W'.repeat(16)}`;

describe('secret-looking names', () => {
  it.each([
    'token',
    'password',
    'passwd',
    'secret',
    'client_secret',
    'api_key',
    'apiKey',
    'APIKey',
    'api-key',
    'x-api-key',
    'X-Api-Key',
    'apikey',
    'githubToken',
    'GITHUB_TOKEN',
    'access_token',
    'refreshToken',
    'auth_token',
    'authorization',
    'Authorization',
    'Proxy-Authorization',
    'auth',
    'cookie',
    'Set-Cookie',
    'private_key',
    'privateKey',
    'aws_secret_access_key',
    'credentials',
    'db_password2',
    'dbpassword',
  ])('%s is secret', (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    'author',
    'authority',
    'authors',
    'tokens_used',
    'max_tokens',
    'tokenizer',
    'message',
    'path',
    'key',
    'keys',
    'monkey',
    'passage',
    'secretary',
    'session',
  ])('%s is not secret', (name) => expect(isSecretName(name)).toBe(false));
});

describe('redactForLog', () => {
  it('replaces values of secret-looking names, whatever their content', () => {
    const out = JSON.stringify(
      redactForLog({ api_key: 'abc123', nested: { password: 'hunter2', Authorization: 'x' } }, true),
    );
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('hunter2');
    expect(out).toContain('[redacted sha256:');
  });

  it('marks every leaf under a secret name, through nested objects and arrays', () => {
    const out = redactForLog(
      {
        credentials: {
          user: 'ann',
          pass: 'pw-1',
          extra: [{ pin: 1234 }, 'second-secret'],
          on: true,
          none: null,
        },
        tokens: ['not-a-secret-name', 'plain'],
        auth: ['one', ['two']],
      },
      true,
    ) as Record<string, Record<string, unknown> & unknown[]>;
    const text = JSON.stringify(out);
    for (const value of ['ann', 'pw-1', '1234', 'second-secret', '"one"', '"two"'])
      expect(text).not.toContain(value);
    expect(out.credentials!.user).toMatch(MARKER);
    expect(out.credentials!.on).toMatch(MARKER);
    expect(out.credentials!.none).toBeNull();
    expect((out.credentials!.extra as unknown[])[0]).toEqual({ pin: secretMarker('1234') });
    expect(out.tokens).toEqual(['not-a-secret-name', 'plain']);
  });

  it('keeps author, counts named like tokens, and numbers under secret names do not crash', () => {
    const out = redactForLog(
      { author: 'Ada Lovelace', authority: 'root', tokens_used: 5, max_tokens: 1024, token: 7, password: 0 },
      true,
    );
    expect(out).toEqual({
      author: 'Ada Lovelace',
      authority: 'root',
      tokens_used: 5,
      max_tokens: 1024,
      token: secretMarker('7'),
      password: secretMarker('0'),
    });
  });

  it('finds token formats inside strings at any depth, in arrays, and in object keys', () => {
    const out = JSON.stringify(
      redactForLog(
        { list: [`use ${GHP}`, { deeper: [[SK]] }], [GHP]: 'key is a token', message: 'hello' },
        true,
      ),
    );
    expect(out).not.toContain(GHP);
    expect(out).not.toContain(SK);
    expect(out).toContain('"message":"hello"');
    expect(out).toContain('use [redacted sha256:');
  });

  it('keeps only markers for every leaf when argument values are not to be logged', () => {
    const out = redactForLog(
      { message: 'hello', n: 3, ok: false, nothing: null, list: ['a', { b: 'c' }], author: 'Ada' },
      false,
    ) as Record<string, unknown>;
    const text = JSON.stringify(out);
    for (const value of ['hello', '"a"', '"c"', 'Ada', ':3', ':false']) expect(text).not.toContain(value);
    expect(out.n).toMatch(MARKER);
    expect(out.ok).toMatch(MARKER);
    expect(out.nothing).toBeNull();
    expect(Object.keys(out)).toEqual(['message', 'n', 'ok', 'nothing', 'list', 'author']);
    expect((out.list as unknown[])[1]).toEqual({ b: secretMarker('c') });
  });

  it('is idempotent, so a second pass (the writer) changes nothing', () => {
    const value = {
      api_key: 'abc',
      text: `Authorization: Bearer ${SK} and password=hunter2 at https://u:pw@host/x`,
      list: [GHP],
    };
    for (const keep of [true, false]) {
      const once = redactForLog(value, keep);
      expect(redactForLog(once, true)).toEqual(once);
    }
  });

  it('copes with values JSON cannot hold and with hostile nesting', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    expect(() => JSON.stringify(redactForLog(deep, true))).not.toThrow();
    expect(redactForLog({ big: 10n, when: new Date('2026-01-02T03:04:05Z'), f: () => 1 }, true)).toEqual({
      big: '10',
      when: '2026-01-02T03:04:05.000Z',
      f: undefined,
    });
  });

  it('keeps ordinary values and marks the same secret the same way (redactValue is the same function)', () => {
    expect(redactValue({ message: 'hello', n: 3 })).toEqual({ message: 'hello', n: 3 });
    expect(redactValue({ password: 'x' }, false)).toEqual(redactForLog({ password: 'x' }, true));
    expect(redactString(`token ${GHP}`)).toBe(redactString(`token ${GHP}`));
  });
});

describe('redactString', () => {
  const secrets: [string, string][] = [
    ['GitHub classic', GHP],
    ['GitHub OAuth', gh('gho')],
    ['GitHub server', gh('ghs')],
    ['GitHub fine-grained', `github_pat_11ABCDEFG0${'x9Y8'.repeat(12)}`],
    ['OpenAI', SK],
    ['OpenAI project', `sk-proj-${'Ab3'.repeat(15)}`],
    ['Anthropic', `sk-ant-api03-${'Zz9_'.repeat(20)}`],
    ['AWS', `AKIA${'ABCDEFGHIJ234567'}`],
    ['AWS session', `ASIA${'QRSTUVWXYZ234567'}`],
    ['Slack bot', 'xoxb-1234567890-abcdefABCDEF'],
    ['Slack user', 'xoxp-1234567890-1234567890-abcdef'],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk'],
    ['Google', `AIza${'SyA-1234567890abcdefghijklmnopqrstu'}`],
  ];

  it.each(secrets)('finds a %s token anywhere inside a string', (_name, secret) => {
    for (const text of [secret, `before ${secret} after`, `x=${secret};`, `"${secret}"`, `(${secret})`]) {
      const out = redactString(text);
      expect(out).not.toContain(secret);
      expect(out).not.toContain(secret.slice(4, 20));
      expect(out).toContain('[redacted sha256:');
    }
  });

  it('redacts bearer tokens, secret key=value pairs, URL passwords and private key blocks', () => {
    const cases: [string, string[]][] = [
      ['curl -H "Authorization: Bearer abc.def-ghi_123"', ['abc.def-ghi_123']],
      ['Authorization: Basic dXNlcjpwYXNz', ['dXNlcjpwYXNz']],
      ['GET /cb?code=1&access_token=opaque-value-9&x=2', ['opaque-value-9']],
      ['export DB_PASSWORD=hunter2', ['hunter2']],
      ['{"client_secret": "correct horse battery staple"}', ['correct', 'horse', 'staple']],
      ['{\\"apiKey\\":\\"k-123456\\"}', ['k-123456']],
      ["password: 'p@ss word'", ['p@ss', 'ss word']],
      ['postgres://admin:s3cr3t-pw@db.internal:5432/app', ['s3cr3t-pw']],
      [
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----',
        ['MIIEowIBAAKCAQEA7', 'abc'],
      ],
      [
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA (cut short',
        ['b3BlbnNzaC1rZXktdjEAAAAA'],
      ],
    ];
    for (const [text, leaked] of cases) {
      const out = redactString(text);
      for (const l of leaked) expect(out, text).not.toContain(l);
      expect(out, text).toContain('[redacted sha256:');
    }
    expect(redactString('postgres://admin:s3cr3t-pw@db.internal:5432/app')).toMatch(
      /^postgres:\/\/admin:\[redacted sha256:[0-9a-f]{12}\]@db\.internal:5432\/app$/,
    );
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'hello world',
      'the author and the authority',
      'tokens_used: 5, max_tokens=1024',
      'use sk-learn-compatible-models for this task-management-system',
      'https://example.com:8080/path@v2',
      'risk-assessment-framework-v2',
      'Basic usage: run it',
    ])
      expect(redactString(text)).toBe(text);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth so equal arguments hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(argsHash({ a: 1, b: 2 })).toBe(argsHash({ b: 2, a: 1 }));
    expect(argsHash({ a: 1 })).not.toBe(argsHash({ a: '1' }));
  });
});
