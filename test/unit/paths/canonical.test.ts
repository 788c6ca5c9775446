// Canonical paths: every spelling of a path that reaches the same file reads as that file — dots, repeated
// separators, relative paths against each folder, symlinks, `~`, file:// URIs, percent-encoding, and case where the
// file system ignores it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalKeys,
  comparisonKey,
  isInside,
  looksLikePath,
  readings,
} from '../../../electron/gateway/paths/canonical.js';
import { nodePathSystem } from '../../../electron/gateway/paths/system.js';
import { countingNodeSystem, fakeSystem } from './fake-system.js';

let parent: string;
let home: string;
let work: string;
let other: string;
const node = nodePathSystem();
const read = (text: string, folders: string[] = []) => readings(text, folders, node);

beforeAll(() => {
  parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-paths-')));
  home = path.join(parent, 'gh');
  work = path.join(parent, 'work');
  other = path.join(parent, 'other');
  for (const folder of [home, work, other]) fs.mkdirSync(folder);
  fs.writeFileSync(path.join(home, 'policy.json'), '{}');
  fs.writeFileSync(path.join(work, 'notes.txt'), 'notes');
  fs.symlinkSync(home, path.join(work, 'link'));
});
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

describe('readings of a path (this machine)', () => {
  it('resolves . and .. and repeated separators', () => {
    const policy = path.join(home, 'policy.json');
    expect(read(`${work}/../gh/policy.json`).paths).toEqual([policy]);
    expect(read(`${parent}//gh///policy.json`).paths).toEqual([policy]);
    expect(read(`${parent}/./gh/./policy.json`).paths).toEqual([policy]);
    expect(read(`${work}/../../${path.basename(parent)}/gh/x/../policy.json`).paths).toContain(policy);
  });

  it('reads a relative path against every folder, and cannot read one with no folder', () => {
    expect(read('../gh/policy.json', [work, other]).paths).toEqual([path.join(home, 'policy.json')]);
    expect(read('./policy.json', [work, home]).paths).toEqual([
      path.join(work, 'policy.json'),
      path.join(home, 'policy.json'),
    ]);
    expect(read('gh', [parent]).paths).toEqual([home]);
    expect(read('../gh/policy.json')).toEqual({ paths: [], complete: false });
    expect(read('../gh/policy.json', [work]).complete).toBe(true);
  });

  it('follows symlinks, also when the file below them does not exist yet', () => {
    expect(read(`${work}/link/policy.json`).paths).toEqual([path.join(home, 'policy.json')]);
    expect(read(`${work}/link/new/deeper.json`).paths).toEqual([path.join(home, 'new', 'deeper.json')]);
    expect(read('link/policy.json', [work]).paths).toEqual([path.join(home, 'policy.json')]);
  });

  it('reads .. after a symlink both as a string would and as the OS does (the link first)', () => {
    expect(read(`${work}/link/../gh/policy.json`).paths).toEqual(
      expect.arrayContaining([path.join(work, 'gh', 'policy.json'), path.join(home, 'policy.json')]),
    );
  });

  it('expands ~ and ~user', () => {
    const system = countingNodeSystem(parent);
    expect(readings('~/gh/policy.json', [], system).paths).toEqual([path.join(home, 'policy.json')]);
    expect(readings('~', [], system).paths).toEqual([parent]);
    expect(readings(`~${path.basename(parent)}/gh`, [], system).paths).toEqual([home]);
  });

  it('reads file:// URIs, their percent-encoding and encoded dots', () => {
    const policy = path.join(home, 'policy.json');
    expect(read(`file://${home}/policy.json`).paths).toEqual([policy]);
    expect(read(`file://localhost${home}/policy.json`).paths).toEqual([policy]);
    expect(read(`file://${work}/%2e%2e/gh/policy.json`).paths).toContain(policy);
    expect(read(`file://${work}/%2E%2E/g%68/policy%2Ejson`).paths).toContain(policy);
    expect(read(`FILE://${work}%2F..%2Fgh%2Fpolicy.json`).paths).toContain(policy);
    expect(read('file://elsewhere.example/etc/passwd')).toEqual({ paths: [], complete: false });
    expect(read('file://[bad/x')).toEqual({ paths: [], complete: false });
  });

  it('reads percent-encoded separators and dots in plain paths, twice-encoded ones too', () => {
    const policy = path.join(home, 'policy.json');
    expect(read(`${work}%2F..%2Fgh%2Fpolicy.json`).paths).toContain(policy);
    expect(read('%2e%2e%2fgh%2fpolicy.json', [work]).paths).toContain(policy);
    expect(read(`${work}%252F..%252Fgh%252Fpolicy.json`).paths).toContain(policy);
    // A malformed sequence elsewhere does not stop the separators from being decoded.
    expect(read(`${work}%2F..%2Fgh%2Fpolicy.json%E0%A4%A`).paths).toContain(`${policy}%E0%A4%A`);
  });

  it('reads what a C server, a trimming server and a backslash-splitting server would open', () => {
    const policy = path.join(home, 'policy.json');
    expect(read(`${policy}\0.txt`).paths).toContain(policy);
    expect(read(`  "${policy}" `).paths).toContain(policy);
    expect(read('..\\gh\\policy.json', [work]).paths).toContain(policy);
  });

  it('keys compare as the file system does, and inside means the folder or below it', () => {
    expect(isInside('/srv/projects', '/srv/projects')).toBe(true);
    expect(isInside('/srv/projects/a', '/srv/projects')).toBe(true);
    expect(isInside('/srv/projects-evil/a', '/srv/projects')).toBe(false);
    expect(isInside('/srv', '/srv/projects')).toBe(false);
    expect(isInside('/anything', '/')).toBe(true);
    expect(comparisonKey('/Users/Me/X', 'darwin')).toBe('/users/me/x');
    expect(comparisonKey('/Users/Me/X', 'linux')).toBe('/Users/Me/X');
    expect(comparisonKey('C:\\Users\\Me', 'win32')).toBe('c:/users/me');
    // NFD and NFC spell one name.
    expect(comparisonKey('/caf\u0065\u0301', 'linux')).toBe(comparisonKey('/caf\u00e9', 'linux'));
  });

  it('only strings that may name a file are canonicalised', () => {
    for (const yes of [
      '/etc',
      'a/b',
      'a\\b',
      '~',
      '~/x',
      '.',
      '..',
      'file:///x',
      'FILE:x',
      '%2e%2e',
      'a%2Fb',
    ]) {
      expect(looksLikePath(yes), yes).toBe(true);
    }
    for (const no of [
      '',
      'm123',
      'hello world',
      'policy.json',
      'http://localhost:1/x',
      'https://a/b',
      '.x',
    ]) {
      expect(looksLikePath(no), no).toBe(false);
    }
  });
});

describe('readings on a simulated case-insensitive file system', () => {
  const mac = fakeSystem({
    platform: 'darwin',
    userHome: '/Users/me',
    files: ['/Users/me/Library/Application Support/Gatehouse/policy.json'],
    folders: ['/Users/me/work'],
    links: { '/Users/me/work/gh': '/Users/me/Library/Application Support/Gatehouse' },
  });
  const macHome = comparisonKey('/Users/me/Library/Application Support/Gatehouse', 'darwin');

  it('mixed case reaches the same file on macOS', () => {
    const { keys } = canonicalKeys('/USERS/ME/library/APPLICATION SUPPORT/gatehouse/POLICY.JSON', [], mac);
    expect(keys).toEqual([`${macHome}/policy.json`]);
    expect(canonicalKeys('/users/me/Library/Application Support/GATEHOUSE/New.json', [], mac).keys).toEqual([
      `${macHome}/new.json`,
    ]);
    expect(canonicalKeys('WORK/GH/Policy.json', ['/Users/me'], mac).keys).toEqual([`${macHome}/policy.json`]);
    expect(canonicalKeys('~/Library/application support/gatehouse', [], mac).keys).toEqual([macHome]);
  });

  it('mixed case is another file on Linux', () => {
    const linux = fakeSystem({
      platform: 'linux',
      userHome: '/home/me',
      files: ['/home/me/.config/Gatehouse/policy.json'],
    });
    const { keys } = canonicalKeys('/home/me/.config/GATEHOUSE/policy.json', [], linux);
    expect(keys.some((key) => isInside(key, '/home/me/.config/Gatehouse'))).toBe(false);
  });

  it('Windows: drive letters, both separators, trailing dots, \\\\?\\ prefixes, file URIs, streams', () => {
    const win = fakeSystem({
      platform: 'win32',
      userHome: 'C:\\Users\\me',
      files: ['C:\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json'],
    });
    const want = 'c:/users/me/appdata/roaming/gatehouse/policy.json';
    for (const spelling of [
      'c:/users/ME/appdata/roaming/gatehouse/./policy.json',
      'C:\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json.',
      'C:\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json ',
      'C:\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json::$DATA',
      '\\\\?\\C:\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json',
      'file:///C:/Users/me/AppData/Roaming/Gatehouse/policy.json',
      'file:///c%3A/Users/me/AppData/Roaming/Gatehouse/policy.json',
      '~\\AppData\\Roaming\\Gatehouse\\policy.json',
      'C:\\Users\\me\\Documents\\..\\AppData\\Roaming\\Gatehouse\\policy.json',
    ]) {
      expect(canonicalKeys(spelling, [], win).keys, spelling).toContain(want);
    }
    expect(canonicalKeys('Roaming\\Gatehouse\\policy.json', ['C:\\Users\\me\\AppData'], win).keys).toContain(
      want,
    );
    expect(canonicalKeys('C:policy.json', ['C:\\Users\\me'], win).complete).toBe(false);
  });
});
