// path.within: the value made canonical as the OS will open it, inside one of the folders — no `..`, symlink,
// encoding or relative spelling gets out, and anything that cannot be made canonical is a violation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalKeys } from '../../../electron/gateway/paths/canonical.js';
import { compilePolicy, type CompiledPolicy } from '../../../electron/gateway/policy/compile.js';
import { decide } from '../../../electron/gateway/policy/decide.js';
import { parsePolicyText, type PolicyError } from '../../../electron/gateway/policy/load.js';
import type { CallContext } from '../../../electron/gateway/policy/types.js';
import { PolicySchema } from '../../../shared/policy.js';
import { countingNodeSystem } from '../paths/fake-system.js';
import { call, NO_COUNTERS } from './helpers.js';

const NOW = 1_700_000_000_000;
let parent: string;
let projects: string;
let secret: string;
let compiled: CompiledPolicy;
let system: ReturnType<typeof countingNodeSystem>;

beforeAll(() => {
  parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-within-')));
  projects = path.join(parent, 'projects');
  secret = path.join(parent, 'secret');
  for (const folder of [projects, secret, path.join(parent, 'work'), path.join(parent, 'projects-evil')]) {
    fs.mkdirSync(folder);
  }
  fs.writeFileSync(path.join(projects, 'ok.txt'), 'ok');
  fs.writeFileSync(path.join(secret, 'key'), 'secret');
  fs.symlinkSync(secret, path.join(projects, 'escape'));
  fs.symlinkSync(projects, path.join(parent, 'projects-link'));
  // ~ is the temporary folder: "~/work" is a folder of the policy.
  system = countingNodeSystem(parent);
  compiled = compileWith({ file: { path: { within: [projects, '~/work'] } } });
});
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

function compileWith(args: Record<string, unknown>): CompiledPolicy {
  const policy = PolicySchema.parse({ version: '1', default: 'deny', tools: { t: { args } } });
  return compilePolicy(policy, system);
}

function reasonOf(
  args: Record<string, unknown>,
  context: Partial<CallContext> = {},
  policy: CompiledPolicy = compiled,
): string | undefined {
  const decision = decide(
    call('t', {
      arguments: args,
      folders: [projects],
      resolvePath: (value, folders) => canonicalKeys(value, folders, system),
      ...context,
    }),
    policy,
    NO_COUNTERS,
    NOW,
  );
  if (decision.status === 'allowed') return undefined;
  expect(decision).toMatchObject({ decision: 'deny', status: 'invalid_args', rule: 'tools["t"]' });
  return decision.reason;
}

const outside = () => `argument "file" is not inside ${projects} or ~/work`;

describe('path.within', () => {
  it('a path inside a folder passes, absolute or relative to the server’s folders', () => {
    expect(reasonOf({ file: path.join(projects, 'ok.txt') })).toBeUndefined();
    expect(reasonOf({ file: projects })).toBeUndefined();
    expect(reasonOf({ file: path.join(projects, 'new', 'file.txt') })).toBeUndefined();
    expect(reasonOf({ file: 'ok.txt' })).toBeUndefined();
    expect(reasonOf({ file: './sub/../ok.txt' })).toBeUndefined();
    expect(reasonOf({ file: '~/work/notes.md' })).toBeUndefined();
    expect(reasonOf({ file: `file://${projects}/ok%2Etxt` })).toBeUndefined();
  });

  it('a path outside is a violation in plain words', () => {
    expect(reasonOf({ file: path.join(secret, 'key') })).toBe(outside());
    expect(reasonOf({ file: '/etc/passwd' })).toBe(outside());
    expect(reasonOf({ file: parent })).toBe(outside());
    // A sibling whose name starts like the folder is not inside it.
    expect(reasonOf({ file: `${projects}-evil/x` })).toBe(outside());
  });

  it('.. cannot walk out, however it is spelled', () => {
    for (const file of [
      `${projects}/../secret/key`,
      '../secret/key',
      `${projects}//..//secret/key`,
      `${projects}/%2e%2e/secret/key`,
      `${projects}%2F..%2Fsecret%2Fkey`,
      `file://${projects}/%2e%2e/secret/key`,
      `${projects}/x/../../secret`,
      '..',
    ]) {
      expect(reasonOf({ file }), file).toBe(outside());
    }
  });

  it('a symlink cannot lead out', () => {
    expect(reasonOf({ file: `${projects}/escape/key` })).toBe(outside());
    expect(reasonOf({ file: 'escape/key' })).toBe(outside());
    expect(reasonOf({ file: 'escape/not-yet-there' })).toBe(outside());
    // .. after the symlink: the OS goes to the symlink's target's parent.
    expect(reasonOf({ file: `${projects}/escape/../ok.txt` })).toBe(outside());
  });

  it('a relative path must be inside read against every folder of the server', () => {
    expect(reasonOf({ file: 'ok.txt' }, { folders: [projects, parent] })).toBe(outside());
    expect(reasonOf({ file: 'ok.txt' }, { folders: [] })).toBe(
      `argument "file" is not inside ${projects} or ~/work (it cannot be made into a full path)`,
    );
  });

  it('a value that is not a string, or is missing, is a violation; optional allows absence only', () => {
    expect(reasonOf({ file: 42 })).toBe(
      `argument "file" is not a path inside ${projects} or ~/work (it is not a string)`,
    );
    expect(reasonOf({ file: [path.join(projects, 'ok.txt')] })).toMatch(/is not a string/);
    expect(reasonOf({ file: null })).toMatch(/is not a string/);
    expect(reasonOf({})).toBe('argument "file" is missing');
    const optional = compileWith({ file: { optional: true, path: { within: [projects] } } });
    expect(reasonOf({}, {}, optional)).toBeUndefined();
    expect(reasonOf({ file: '/etc' }, {}, optional)).toBe(`argument "file" is not inside ${projects}`);
  });

  it('without a path resolver the rule cannot hold (fail closed)', () => {
    expect(reasonOf({ file: path.join(projects, 'ok.txt') }, { resolvePath: undefined })).toBe(
      `argument "file" cannot be checked against ${projects} or ~/work (no path resolver)`,
    );
  });

  it('a folder of the policy is made canonical when it is compiled: through its symlink', () => {
    const linked = compileWith({ file: { path: { within: [path.join(parent, 'projects-link')] } } });
    expect(reasonOf({ file: path.join(projects, 'ok.txt') }, {}, linked)).toBeUndefined();
    expect(reasonOf({ file: path.join(parent, 'projects-link', 'ok.txt') }, {}, linked)).toBeUndefined();
    expect(reasonOf({ file: path.join(secret, 'key') }, {}, linked)).toMatch(/is not inside/);
  });

  it('works with the other argument rules of the same argument', () => {
    const both = compileWith({ file: { maxLength: 200, pattern: '.*\\.txt', path: { within: [projects] } } });
    expect(reasonOf({ file: path.join(projects, 'ok.txt') }, {}, both)).toBeUndefined();
    expect(reasonOf({ file: path.join(projects, 'ok.md') }, {}, both)).toMatch(/does not match the pattern/);
    expect(reasonOf({ file: `${projects}/../secret/x.txt` }, {}, both)).toMatch(/is not inside/);
  });
});

describe('path.within in policy.json', () => {
  const errorsOf = (args: unknown): PolicyError[] => {
    const result = parsePolicyText(JSON.stringify({ version: '1', tools: { t: { args: { file: args } } } }));
    return result.ok ? [] : result.errors;
  };

  it('is strict: unknown keys, relative folders and an empty list are errors', () => {
    expect(errorsOf({ path: { within: ['/srv/projects', '~/work', 'C:\\work', '~'] } })).toEqual([]);
    expect(errorsOf({ path: { within: ['/srv'], 'x-note': 'ok' } })).toEqual([]);
    expect(errorsOf({ path: { within: ['/srv'], inside: ['/x'] } })).toMatchObject([
      { path: 'tools.t.args.file.path.inside', message: 'is not a known key of a path rule' },
    ]);
    expect(errorsOf({ path: { within: ['srv/projects'] } })).toMatchObject([
      { path: 'tools.t.args.file.path.within[0]' },
    ]);
    expect(errorsOf({ path: { within: ['../x'] } })[0]?.message).toMatch(/absolute folder/);
    expect(errorsOf({ path: { within: [] } })).toMatchObject([{ path: 'tools.t.args.file.path.within' }]);
    expect(errorsOf({ path: {} })).toMatchObject([{ path: 'tools.t.args.file.path.within' }]);
    expect(errorsOf({ path: '/srv' })).toMatchObject([{ path: 'tools.t.args.file.path' }]);
  });
});
