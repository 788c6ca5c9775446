import { describe, expect, it } from 'vitest';
import { redactString, redactValue } from '../../../electron/gateway/log/redact.js';
import { argsHash, canonicalJson } from '../../../electron/gateway/log/canonical.js';

describe('redaction', () => {
  it('replaces values of secret-looking names, whatever their content', () => {
    const out = JSON.stringify(
      redactValue({ api_key: 'abc123', nested: { password: 'hunter2', Authorization: 'x' } }),
    );
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('hunter2');
    expect(out).toContain('[redacted sha256:');
  });

  it('finds known token formats anywhere inside a string', () => {
    const gh = 'ghp_' + 'A'.repeat(36);
    const sk = 'sk-' + 'b1'.repeat(12);
    const aws = 'AKIA' + 'ABCDEFGHIJKLMNOP';
    const text = redactString(`clone with ${gh} then call ${sk} and ${aws}; xoxb-1234567890-abc`);
    for (const secret of [gh, sk, aws, 'xoxb-1234567890-abc']) expect(text).not.toContain(secret);
    expect(text).toContain('clone with [redacted sha256:');
  });

  it('keeps ordinary values and marks the same secret the same way', () => {
    expect(redactValue({ message: 'hello', n: 3 })).toEqual({ message: 'hello', n: 3 });
    expect(redactString('token ghp_' + 'x'.repeat(36))).toBe(redactString('token ghp_' + 'x'.repeat(36)));
  });

  it('keeps only markers when argument values are not to be logged', () => {
    const out = redactValue({ message: 'hello', n: 3, list: ['a'] }, false) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain('hello');
    expect(out.n).toMatch(/^\[redacted sha256:/);
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
