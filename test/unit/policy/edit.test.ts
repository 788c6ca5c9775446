// Edits of policy.json's text change only what they name: the rest of the file stays byte for byte.
import { describe, expect, it } from 'vitest';
import { applyPolicyEdits } from '../../../electron/gateway/policy/edit.js';

const FILE = `{
    "$schema": "./policy.schema.json",
    "x-owner": "ops",
    "version": "1",
    "default": "deny",
    "tools": {
        "delete_*": { "action": "approve", "reason": "destructive" }
    }
}
`;

describe('applyPolicyEdits', () => {
  it('sets a rule in place with the file’s own indentation, touching nothing else', () => {
    const next = applyPolicyEdits(FILE, [
      { path: ['servers', 'ev', 'tools', 'echo'], value: { action: 'deny' } },
    ]);
    expect(JSON.parse(next)).toEqual({
      ...JSON.parse(FILE),
      servers: { ev: { tools: { echo: { action: 'deny' } } } },
    });
    expect(next.startsWith(FILE.slice(0, FILE.lastIndexOf('}')).trimEnd())).toBe(true);
    expect(next).toContain('\n    "servers": {\n        "ev": {');
  });

  it('adds a rule beside another on one line without re-laying that line', () => {
    const next = applyPolicyEdits(FILE, [{ path: ['tools', 'echo'], value: { action: 'allow' } }]);
    expect(next).toBe(
      FILE.replace(
        '"reason": "destructive" }\n',
        '"reason": "destructive" },\n        "echo": {\n            "action": "allow"\n        }\n',
      ),
    );
  });

  it('removes with null, and an edit undone gives the file back byte for byte', () => {
    const added = applyPolicyEdits(FILE, [{ path: ['tools', 'echo'], value: { action: 'allow' } }]);
    expect(applyPolicyEdits(added, [{ path: ['tools', 'echo'], value: null }])).toBe(FILE);
    const changed = applyPolicyEdits(FILE, [{ path: ['default'], value: 'approve' }]);
    expect(changed).toBe(FILE.replace('"default": "deny"', '"default": "approve"'));
  });

  it('removes a first, a middle, a last and an only key, leaving the neighbours on their own lines', () => {
    const without = (path: string[]) => applyPolicyEdits(FILE, [{ path, value: null }]);
    expect(without(['$schema'])).toBe(FILE.replace('    "$schema": "./policy.schema.json",\n', ''));
    expect(without(['version'])).toBe(FILE.replace('    "version": "1",\n', ''));
    expect(without(['tools'])).toBe(FILE.replace(/,\n {4}"tools": \{[^]*?\n {4}\}/, ''));
    expect(without(['tools', 'delete_*'])).toBe(FILE.replace(/\{\n {8}"delete_\*"[^\n]*\n {4}\}/, '{}'));
    expect(without(['tools', 'delete_*', 'action'])).toBe(FILE.replace('"action": "approve", ', ''));
    expect(without(['servers', 'none'])).toBe(FILE);
  });

  it('keeps CRLF line ends and tabs', () => {
    const crlf = '{\r\n\t"version": "1",\r\n\t"default": "deny"\r\n}\r\n';
    const next = applyPolicyEdits(crlf, [{ path: ['tools', 'x'], value: { action: 'allow' } }]);
    expect(next).not.toMatch(/[^\r]\n/);
    expect(next).toContain('\r\n\t"tools": {\r\n\t\t"x": {');
  });

  it('treats keys such as __proto__ as plain names', () => {
    const next = applyPolicyEdits(FILE, [{ path: ['tools', '__proto__'], value: { action: 'deny' } }]);
    expect(Object.keys((JSON.parse(next) as { tools: object }).tools)).toContain('__proto__');
  });
});
