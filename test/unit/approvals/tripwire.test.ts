// The tripwire compares what the OS will open: the home and the client config files in every spelling that reaches
// them, and the gateway's port in every spelling a URL parser accepts for this machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tripwireCheck, type TripwireCheck } from '../../../electron/gateway/approvals/tripwire.js';
import { countingNodeSystem, fakeSystem } from '../paths/fake-system.js';

const PORT = 7451;
let parent: string;
let home: string;
let work: string;
let other: string;
let check: TripwireCheck;
let system: ReturnType<typeof countingNodeSystem>;

beforeAll(() => {
  parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tripwire-')));
  home = path.join(parent, 'gh');
  work = path.join(parent, 'work');
  other = path.join(parent, 'other');
  for (const folder of [home, work, other]) fs.mkdirSync(folder);
  fs.writeFileSync(path.join(home, 'policy.json'), '{}');
  fs.symlinkSync(home, path.join(work, 'link'));
  fs.symlinkSync(path.join(home, 'policy.json'), path.join(work, 'innocent.txt'));
  // The user's home for ~ and the client config files is the temporary folder too.
  system = countingNodeSystem(parent);
  // A fixed clock: the guarded files' real paths are looked up once, so counting file system calls is exact.
  check = tripwireCheck(
    { home, policyFile: path.join(home, 'policy.json'), port: () => PORT },
    system,
    () => 0,
  );
});
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

const homeReason = /^the arguments mention the Gatehouse home \(/;

describe('tripwire: the Gatehouse home, however it is spelled', () => {
  it('.. , //, ./ and the home itself', () => {
    for (const spelling of [
      `${work}/../gh/policy.json`,
      `${parent}//gh///policy.json`,
      `${parent}/./gh/./policy.json`,
      `${work}/../gh`,
    ]) {
      expect(check({ path: spelling }, []), spelling).toMatch(homeReason);
    }
  });

  it('relative paths against each folder of the server', () => {
    // Only the second folder leads into the home.
    expect(check({ path: '../gh/policy.json' }, [home, work])).toMatch(homeReason);
    expect(check({ path: 'gh/policy.json' }, [work, parent])).toMatch(homeReason);
    expect(check({ path: 'work/../gh/policy.json' }, [parent])).toMatch(homeReason);
    expect(check({ path: 'gh/policy.json' }, [work])).toBeUndefined();
    // A bare name is a path in its folder: the home itself, or any name in a folder of the home (a new one too).
    expect(check({ path: 'gh' }, [parent])).toMatch(homeReason);
    expect(check({ path: 'policy.json' }, [work, home])).toMatch(homeReason);
    expect(check({ path: 'grants.json' }, [path.join(home, '.')])).toMatch(homeReason);
  });

  it('symlinks into the home, to a folder or to a file', () => {
    expect(check({ path: `${work}/link/policy.json` }, [])).toMatch(homeReason);
    expect(check({ path: 'link/new-file.json' }, [work])).toMatch(homeReason);
    expect(check({ path: `${work}/innocent.txt` }, [])).toMatch(homeReason);
  });

  it('~, file:// URIs and percent-encoding', () => {
    for (const spelling of [
      '~/gh/policy.json',
      '$HOME/gh/policy.json',
      '${HOME}/./gh/policy.json',
      `file://${work}/%2e%2e/gh/policy.json`,
      `file://${parent}/g%68/policy.json`,
      `file://${parent}/work%2F..%2Fgh%2Fpolicy.json`,
      `${work}%2F..%2Fgh%2Fpolicy.json`,
      `${work}%252F..%252Fgh%252Fpolicy.json`,
    ]) {
      expect(check({ path: spelling }, []), spelling).toMatch(homeReason);
    }
  });

  it('paths inside longer strings (commands, JSON text), keys and any depth', () => {
    expect(check({ command: 'cat ../gh/policy.json' }, [work])).toMatch(homeReason);
    expect(check({ command: 'cp x --target=../gh/' }, [work])).toMatch(homeReason);
    expect(check({ body: '{"path":"../gh/policy.json"}' }, [work])).toMatch(homeReason);
    expect(check({ a: [{ b: { c: ['x', 'link/policy.json'] } }] }, [work])).toMatch(homeReason);
    expect(check({ files: { 'link/policy.json': 'x' } }, [work])).toMatch(homeReason);
    // Every string is read whole, however many come before it.
    const many = Array.from({ length: 1000 }, (_, i) => `dir/file-${i}.txt`);
    expect(check({ paths: [...many, '../gh/policy.json'] }, [work])).toMatch(homeReason);
    // Past a bound on the work one call may cost, it asks rather than reads on.
    const flood = Array.from({ length: 5000 }, (_, i) => `/nowhere/${i}`);
    expect(check({ flood }, [work])).toBe(
      'the arguments hold more paths than the tripwire reads in one call (4096)',
    );
    let deep: unknown = 'link/policy.json';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(check({ deep }, [work])).toMatch(homeReason);
  });

  it('says what it found', () => {
    expect(check({ path: `${home}/policy.json` }, [])).toBe(
      `the arguments mention the Gatehouse home (${home})`,
    );
    expect(check({ path: 'link/policy.json' }, [work])).toBe(
      `the arguments mention the Gatehouse home (${home}): "link/policy.json" opens ${home}/policy.json`,
    );
  });

  it('does not fire for other paths, a sibling whose name starts like the home, or plain words', () => {
    fs.mkdirSync(path.join(parent, 'gh-other'), { recursive: true });
    for (const args of [
      { path: `${work}/notes.txt` },
      { path: 'notes.txt' },
      { path: `${parent}/gh-other/policy.json` },
      { path: '../gh-other/x' },
      { message: 'm123' },
      { message: 'hello world, a/b is not here' },
      { path: 'file:///etc/hosts' },
    ]) {
      expect(check(args, [work]), JSON.stringify(args)).toBeUndefined();
    }
  });

  it('touches no file system for strings that cannot be paths (every allowed call runs it)', () => {
    check({ message: 'warm-up' }, [work]);
    const before = system.calls;
    for (let i = 0; i < 100; i += 1) check({ message: `m${i}`, count: i, flag: true }, [work]);
    expect(system.calls).toBe(before);
  });
});

describe('tripwire: MCP client config files and Gatehouse’s own files', () => {
  it('the files named today, anywhere in a string', () => {
    for (const text of [
      'claude_desktop_config.json',
      '~/.cursor/mcp.json',
      'C:\\Users\\me\\.cursor\\mcp.json',
      'proj/.vscode/mcp.json',
      'mcp_config.json',
      'x/.mcp.json',
      'cline_mcp_settings.json',
    ]) {
      expect(check({ text }, []), text).toMatch(/^the arguments mention an MCP client's config file/);
    }
    expect(check({ text: '/somewhere/gatehouse/policy.json' }, [])).toBe(
      'the arguments mention Gatehouse’s own files',
    );
  });

  it('each client’s config file made canonical: Cursor, Claude Code, VS Code (any folder, the user folder)', () => {
    const cursor = path.join(parent, '.cursor');
    fs.mkdirSync(cursor, { recursive: true });
    for (const text of [
      '~/.cursor/./mcp.json',
      '~/.cursor//mcp.json',
      `${work}/../.cursor/mcp.json`,
      '~/.claude.json',
      '.claude.json',
      'proj/.vscode/x/../mcp.json',
      'proj/.vscode//mcp.json',
      '~/.config/Code/User/mcp.json',
      '~/.config/Code/User/profiles/abc/mcp.json',
      'some/project/.mcp%2Ejson',
    ]) {
      expect(check({ text }, [parent]), text).toMatch(/^the arguments mention an MCP client's config file/);
    }
  });

  it('a config file reached through a symlink, and one that is a symlink elsewhere', () => {
    const dotfiles = path.join(parent, 'dotfiles');
    fs.mkdirSync(dotfiles, { recursive: true });
    fs.writeFileSync(path.join(dotfiles, 'claude-code.json'), '{}');
    fs.symlinkSync(path.join(dotfiles, 'claude-code.json'), path.join(parent, '.claude.json'));
    const fresh = tripwireCheck({ home, port: () => PORT }, system);
    expect(fresh({ path: `${dotfiles}/claude-code.json` }, [])).toMatch(/client's config file/);
    expect(fresh({ path: 'claude-code.json' }, [dotfiles])).toMatch(/client's config file/);
  });

  it('Claude Desktop’s file in each OS’s place', () => {
    const mac = fakeSystem({
      platform: 'darwin',
      userHome: '/Users/me',
      appData: '/Users/me/Library/Application Support',
    });
    const win = fakeSystem({
      platform: 'win32',
      userHome: 'C:\\Users\\me',
      appData: 'C:\\Users\\me\\AppData\\Roaming',
    });
    const onMac = tripwireCheck(
      { home: '/Users/me/Library/Application Support/Gatehouse', port: () => PORT },
      mac,
    );
    const onWin = tripwireCheck(
      { home: 'C:\\Users\\me\\AppData\\Roaming\\Gatehouse', port: () => PORT },
      win,
    );
    expect(onMac({ p: '~/Library/Application Support/Claude/./claude_desktop_config.json' }, [])).toMatch(
      /client's config file/,
    );
    expect(onWin({ p: '%APPDATA%/../Roaming/Claude/claude_desktop_config.json' }, [])).toMatch(
      /client's config file/,
    );
    expect(onMac({ p: '~/Library/Application Support/Code/User/mcp.json' }, [])).toMatch(
      /client's config file/,
    );
  });

  it('the policy file where it lives outside the home (--policy), and behind a symlink', () => {
    const repo = path.join(parent, 'repo');
    fs.mkdirSync(repo, { recursive: true });
    fs.writeFileSync(path.join(repo, 'team-policy.json'), '{}');
    const outside = tripwireCheck(
      { home, policyFile: path.join(repo, 'team-policy.json'), port: () => PORT },
      system,
    );
    expect(outside({ path: `${repo}/./team-policy.json` }, [])).toBe(
      `the arguments mention Gatehouse’s own files (${repo}/team-policy.json): ` +
        `"${repo}/./team-policy.json" opens ${repo}/team-policy.json`,
    );
    expect(outside({ path: 'team-policy.json' }, [repo])).toMatch(/Gatehouse’s own files/);
    fs.symlinkSync(path.join(repo, 'team-policy.json'), path.join(work, 'policy-link.json'));
    const linked = tripwireCheck(
      { home: other, policyFile: path.join(work, 'policy-link.json'), port: () => PORT },
      system,
    );
    expect(linked({ path: `${repo}/team-policy.json` }, [])).toMatch(/Gatehouse’s own files/);
  });
});

describe('tripwire: simulated case-insensitive file systems', () => {
  const mac = fakeSystem({
    platform: 'darwin',
    userHome: '/Users/me',
    appData: '/Users/me/Library/Application Support',
    files: ['/Users/me/Library/Application Support/Gatehouse/policy.json'],
    folders: ['/Users/me/work'],
  });
  const onMac = tripwireCheck(
    { home: '/Users/me/Library/Application Support/Gatehouse', port: () => PORT },
    mac,
  );

  it('mixed case reaches the home on macOS', () => {
    for (const spelling of [
      '/USERS/me/library/application support/GATEHOUSE/policy.json',
      '~/Library/Application Support/gateHOUSE/Policy.JSON',
      '/System/Volumes/Data/Users/me/Library/Application Support/Gatehouse/policy.json',
      '../Library/Application Support/GATEHOUSE',
      'file:///users/ME/Library/Application%20Support/Gatehouse/x.json',
    ]) {
      expect(onMac({ path: spelling }, ['/Users/me/work']), spelling).toMatch(homeReason);
    }
    expect(onMac({ path: '~/.CURSOR/MCP.json' }, [])).toMatch(/client's config file/);
  });

  it('mixed case is another folder on Linux', () => {
    const linux = fakeSystem({
      platform: 'linux',
      userHome: '/home/me',
      files: ['/home/me/.config/gh-home/policy.json', '/home/me/.config/GH-HOME/policy.json'],
    });
    const onLinux = tripwireCheck({ home: '/home/me/.config/gh-home', port: () => PORT }, linux);
    expect(onLinux({ path: '/home/me/.config/GH-HOME/policy.json' }, [])).toBeUndefined();
    expect(onLinux({ path: '~/.config/./gh-home/policy.json' }, [])).toMatch(homeReason);
  });

  it('Linux: the server’s own working directory through /proc', () => {
    const linux = fakeSystem({
      platform: 'linux',
      userHome: '/home/me',
      folders: ['/home/me/.config/gh-home'],
    });
    const onLinux = tripwireCheck({ home: '/home/me/.config/gh-home', port: () => PORT }, linux);
    expect(onLinux({ path: '/proc/self/cwd/gh-home/policy.json' }, ['/home/me/.config'])).toMatch(homeReason);
    expect(onLinux({ path: '/proc/self/cwd/other/policy.json' }, ['/home/me/.config'])).toBeUndefined();
  });

  it('Windows spellings of the home', () => {
    const win = fakeSystem({
      platform: 'win32',
      userHome: 'C:\\Users\\me',
      appData: 'C:\\Users\\me\\AppData\\Roaming',
      files: ['C:\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json'],
    });
    const onWin = tripwireCheck(
      { home: 'C:\\Users\\me\\AppData\\Roaming\\Gatehouse', port: () => PORT },
      win,
    );
    for (const spelling of [
      'c:/users/ME/appdata/roaming/gatehouse/policy.json',
      'C:\\Users\\me\\AppData\\Roaming\\GATEHOUSE\\policy.json.',
      '\\\\?\\C:\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json',
      'file:///C:/Users/me/AppData/Roaming/Gatehouse/policy.json',
      '~\\AppData\\Roaming\\Gatehouse',
      '\\\\localhost\\C$\\Users\\me\\AppData\\Roaming\\Gatehouse\\policy.json',
      '%APPDATA%\\Gatehouse\\policy.json',
      '%userprofile%\\AppData\\Roaming\\Gatehouse',
    ]) {
      expect(onWin({ path: spelling }, []), spelling).toMatch(homeReason);
    }
  });
});

describe('tripwire: the gateway’s port in every spelling of this machine', () => {
  const portReason = /^the arguments mention the gateway's port 7451/;

  it('fires for every loopback spelling, leading zeros in the port too', () => {
    for (const url of [
      'http://localhost:7451/api',
      'http://LOCALHOST.:7451',
      'http://127.0.0.1:7451',
      'http://127.1:7451',
      'http://0x7f.1:7451',
      'http://2130706433:7451',
      'http://0177.0.0.1:7451',
      'http://127.000.000.001:7451',
      'http://[::1]:7451',
      'http://[0:0:0:0:0:0:0:1]:7451',
      'http://[::ffff:127.0.0.1]:7451',
      'http://[::ffff:7f00:1]:7451',
      'http://0.0.0.0:7451',
      'http://0:7451',
      'http://127.42.7.9:7451',
      'http://api.localhost:7451',
      'http://127.0.0.1:07451',
      'http://0x7f.1:0007451/mcp',
      'ws://127.1:07451',
      'foo://0x7f.1:07451',
      'http://user:pw@0x7f.1:07451',
      'http://１２７.０.０.１:07451',
    ]) {
      expect(check({ url }, []), url).toMatch(portReason);
    }
    for (const text of [
      'curl -s 127.1:07451/api/policy',
      '[::1]:07451',
      'localhost:07451',
      'connect to 2130706433:7451',
    ]) {
      expect(check({ text }, []), text).toMatch(portReason);
    }
    expect(check({ port: 7451 }, [])).toMatch(portReason);
    expect(check({ port: '07451' }, [])).toMatch(portReason);
  });

  it('the default port of a scheme is the gateway’s when it serves there', () => {
    const on80 = tripwireCheck({ home, port: () => 80 }, system);
    expect(on80({ url: 'http://0x7f.1/api' }, [])).toMatch(/port 80/);
    expect(on80({ url: 'https://0x7f.1/api' }, [])).toBeUndefined();
  });

  it('does not fire for another port, or a number that only contains it', () => {
    for (const url of [
      'http://127.0.0.1:7452',
      'http://localhost:74510',
      'http://0x7f.1:17451',
      'http://[::1]:8080',
      'http://127.0.0.1/',
      'https://example.com/',
    ]) {
      expect(check({ url }, []), url).toBeUndefined();
    }
    expect(check({ port: 17451 }, [])).toBeUndefined();
    expect(check({ port: 74510 }, [])).toBeUndefined();
  });

  it('follows the port the gateway serves on now', () => {
    let port = 7451;
    const moving = tripwireCheck({ home, port: () => port }, system);
    expect(moving({ url: 'http://127.1:7451' }, [])).toMatch(/port 7451/);
    port = 9000;
    expect(moving({ url: 'http://127.1:7451' }, [])).toBeUndefined();
    expect(moving({ url: 'http://127.1:09000' }, [])).toMatch(/port 9000/);
  });
});
