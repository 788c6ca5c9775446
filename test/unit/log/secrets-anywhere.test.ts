// Redaction of the secrets issue 15 names: resource URIs, query-string credentials, passwords in URLs and DSNs,
// Gatehouse's own tokens; and arguments named __proto__, constructor, prototype kept as plain data in the log.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactForLog, redactString, secretMarker } from '../../../electron/gateway/log/redact.js';
import { argsHash, canonicalJson } from '../../../electron/gateway/log/canonical.js';
import { addGrant, newAdminToken } from '../../../electron/gateway/grants/store.js';

const REDACTED = /\[redacted sha256:[0-9a-f]{12}\]/;

function expectHidden(text: string, secrets: string[]): string {
  const out = redactString(text);
  for (const secret of secrets) expect(out, text).not.toContain(secret);
  expect(out, text).toMatch(REDACTED);
  // A second pass (the writer redacts what was redacted before) changes nothing.
  expect(redactString(out)).toBe(out);
  return out;
}

describe('credentials in URLs, query strings and DSNs', () => {
  it.each([
    ['https://files.example.com/report.pdf?token=opaque0123', ['opaque0123']],
    ['https://api.example.com/v1?access_token=at-998877&page=2', ['at-998877']],
    ['https://api.example.com/v1?api_key=k0123456789', ['k0123456789']],
    [
      'https://blob.core.windows.net/c/f.txt?sv=2024-01-01&sig=AbC%2Bdef0123%3D&se=2026',
      ['AbC%2Bdef0123%3D'],
    ],
    [
      'https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=9f86d081884c7d659a2feaa0c55ad015',
      ['9f86d081884c7d659a2feaa0c55ad015'],
    ],
    ['https://storage.googleapis.com/b/o?X-Goog-Signature=00ff00ff00ff00ff', ['00ff00ff00ff00ff']],
    ['https://maps.example.com/api?key=plainkey123&q=x', ['plainkey123']],
    ['https://app.example.com/cb#access_token=frag-token-42&state=s', ['frag-token-42']],
    ['postgres://user:pass-w0rd@db.internal:5432/app', ['pass-w0rd']],
    ['mysql://root:p@ss@db/app', ['p@ss']],
    ['mongodb+srv://admin:Hunter2hunter@cluster0.mongodb.net/?retryWrites=true', ['Hunter2hunter']],
    ['https://user:topsecret@example.com/path', ['topsecret']],
    ['redis://:redis-pass-1@cache:6379/0', ['redis-pass-1']],
    [
      'git clone https://0123456789abcdef0123456789abcdef01234567@github.com/o/r.git',
      ['0123456789abcdef0123'],
    ],
    ['Server=db;Database=app;User Id=sa;Password=Sup3r!pass;', ['Sup3r!pass']],
    ['host=db user=app password=libpq-secret dbname=app', ['libpq-secret']],
  ])('%s', (text, secrets) => {
    expectHidden(text, secrets);
  });

  it('keeps what is not a credential: the host, the path, other parameters', () => {
    expect(redactString('https://api.example.com/v1?access_token=at-998877&page=2')).toMatch(
      /^https:\/\/api\.example\.com\/v1\?access_token=\[redacted sha256:[0-9a-f]{12}\]&page=2$/,
    );
    expect(redactString('mysql://root:p@ss@db/app')).toMatch(
      /^mysql:\/\/root:\[redacted sha256:[0-9a-f]{12}\]@db\/app$/,
    );
    for (const text of [
      'https://example.com/search?q=monkey&page=2',
      'https://example.com:8080/path@v2',
      'ssh://git@github.com/o/r.git',
      'file:///home/ann/notes.txt',
      'demo://resource/dynamic/text/1',
    ])
      expect(redactString(text)).toBe(text);
  });
});

describe("Gatehouse's own tokens", () => {
  it('redacts a grant token (gh_…) and an admin token (gha_…) anywhere in a text', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-redact-'));
    try {
      const { token } = addGrant(path.join(dir, 'grants.json'), 'cursor');
      const admin = newAdminToken();
      expect(token).toMatch(/^gh_[A-Za-z0-9_-]{43}$/);
      expect(admin).toMatch(/^gha_[A-Za-z0-9_-]{43}$/);
      for (const secret of [token, admin]) {
        for (const text of [
          secret,
          `use ${secret} here`,
          `"${secret}"`,
          `x_${secret}`,
          `curl -H "X: ${secret}"`,
        ]) {
          expect(redactString(text)).not.toContain(secret.slice(4, 30));
        }
        expect(
          JSON.stringify(redactForLog({ note: `token is ${secret}`, list: [secret] }, true)),
        ).not.toContain(secret.slice(4, 30));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves long snake_case names that start with gh_ alone', () => {
    const name = 'gh_pull_request_review_comment_created_event_handler';
    expect(redactString(name)).toBe(name);
  });
});

describe('arguments named __proto__, constructor, prototype', () => {
  const args = () =>
    JSON.parse(
      '{"__proto__": {"polluted": 1, "password": "hunter2"}, "constructor": "x", "prototype": {"a": 1}, "message": "hi"}',
    ) as Record<string, unknown>;

  it('are own keys of the logged copy, with their values redacted like any other', () => {
    const out = redactForLog(args(), true) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'prototype', 'message']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({
      polluted: 1,
      password: secretMarker('hunter2'),
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    expect(JSON.stringify(out)).toContain('"__proto__":{"polluted":1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('are own keys when values are not logged either', () => {
    const out = redactForLog(args(), false) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'prototype', 'message']);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
  });

  it('count in the arguments hash: {"__proto__": …} is not {}', () => {
    expect(canonicalJson(args())).toBe(
      '{"__proto__":{"password":"hunter2","polluted":1},"constructor":"x","message":"hi","prototype":{"a":1}}',
    );
    expect(argsHash(JSON.parse('{"__proto__": {}}'))).not.toBe(argsHash({}));
    expect(argsHash(JSON.parse('{"__proto__": {"a": 1}}'))).not.toBe(
      argsHash(JSON.parse('{"__proto__": {"a": 2}}')),
    );
  });
});
