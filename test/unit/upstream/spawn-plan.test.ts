// Pure parts of the upstream layer that need no server: the Windows command line and stderr masking.
// (Kept here with the upstream tests; they belong in test/unit/upstream once that folder exists.)
import { describe, expect, it } from 'vitest';
import { spawnPlan } from '../../../electron/gateway/upstream/process-group.js';
import { StderrTail, maskSecrets } from '../../../electron/gateway/upstream/stderr-tail.js';
import { childEnvironment } from '../../../electron/gateway/upstream/env.js';

describe('spawnPlan', () => {
  it('spawns the command itself on POSIX and for .exe/.com on Windows', () => {
    expect(spawnPlan('npx', ['-y', 'pkg'], 'linux')).toEqual({
      file: 'npx',
      args: ['-y', 'pkg'],
      windowsVerbatimArguments: false,
    });
    expect(spawnPlan('C:\\node\\node.exe', ['a b'], 'win32')).toMatchObject({
      file: 'C:\\node\\node.exe',
      args: ['a b'],
    });
  });

  it('runs other commands on Windows through cmd.exe with the escaping cross-spawn uses', () => {
    const plan = spawnPlan(
      'npx',
      ['-y', '@scope/pkg@1.0', 'a b', 'x"y', 'C:\\dir\\', '100%', 'a&b|c'],
      'win32',
    );
    expect(plan.args.slice(0, 3)).toEqual(['/d', '/s', '/c']);
    expect(plan.windowsVerbatimArguments).toBe(true);
    // The same line cross-spawn 7.0.6 builds for these arguments.
    expect(plan.args[3]).toBe(
      '"npx ^"-y^" ^"@scope/pkg@1.0^" ^"a^ b^" ^"x\\^"y^" ^"C:\\dir\\\\^" ^"100^%^" ^"a^&b^|c^""',
    );
  });
});

describe('stderr masking', () => {
  it('masks the values of the server env and token-looking strings', () => {
    expect(maskSecrets('key=abcd1234 other=1', ['abcd1234', '1'])).toBe('key=*** other=1');
    expect(
      maskSecrets(
        'ghp_0123456789abcdefghij sk-abcdefghijklmnop AKIAABCDEFGHIJKLMNOP xoxb-1234567890-abc Bearer a.b.c',
        [],
      ),
    ).toBe('*** *** *** *** Bearer ***');
  });

  it('keeps the last 50 lines, joining lines split across chunks', () => {
    const tail = new StderrTail(['s3cret!']);
    tail.push('first half ');
    tail.push('second half s3cret!\nnext');
    expect(tail.snapshot()).toEqual(['first half second half ***', 'next']);
    for (let i = 0; i < 60; i++) tail.push(`line ${i}\n`);
    const lines = tail.snapshot();
    expect(lines).toHaveLength(50);
    expect(lines.at(-1)).toBe('line 59');
  });
});

describe('childEnvironment', () => {
  it('passes the safe base and the server env, and drops GATEHOUSE_* whatever its case', () => {
    const { env, dropped } = childEnvironment({ A: '1', GATEHOUSE_TOKEN: 'x', gatehouse_home: 'y' });
    expect(env.A).toBe('1');
    expect(env.PATH).toBe(process.env.PATH);
    expect(Object.keys(env).some((k) => /^gatehouse_/i.test(k))).toBe(false);
    expect(dropped).toEqual(['GATEHOUSE_TOKEN', 'gatehouse_home']);
  });
});
