// The bridge command a client's config gets: this Node and the checkout's bin/gatehouse.js by absolute path, found
// from the source tree and from the bundle in dist/node alike; `--home` only when the home is not the default one.
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bridgeHomeArgs, bridgeLauncher } from '../../../electron/gateway/clients/launcher.js';
import { defaultHomeDir } from '../../../electron/gateway/home/paths.js';
import { REPO_ROOT } from '../../helpers/upstreams.js';

const SCRIPT = path.join(REPO_ROOT, 'bin', 'gatehouse.js');

describe('bridgeLauncher', () => {
  it('finds bin/gatehouse.js above the module, from src and from dist/node', () => {
    for (const from of [
      'electron/gateway/clients/launcher.ts',
      'dist/node/cli.js',
      'electron/cli/connect.ts',
    ])
      expect(bridgeLauncher(pathToFileURL(path.join(REPO_ROOT, from)).href)).toEqual({
        command: process.execPath,
        args: [SCRIPT, 'bridge'],
      });
  });

  it('says what is wrong when there is no bin/gatehouse.js above it', () => {
    expect(() => bridgeLauncher(pathToFileURL(path.join(os.tmpdir(), 'a', 'b.js')).href)).toThrow(
      /bin\/gatehouse\.js is not found/,
    );
  });
});

describe('bridgeHomeArgs', () => {
  it('names the home only when it is not the default one', () => {
    const env = { XDG_CONFIG_HOME: '/home/me/.config', GATEHOUSE_HOME: '/ignored/by/the/bridge' };
    expect(bridgeHomeArgs('/tmp/other-home', env)).toEqual(['--home', '/tmp/other-home']);
    // The default a bridge started by the client finds itself (GATEHOUSE_HOME is not in the client's environment).
    expect(bridgeHomeArgs(defaultHomeDir({ XDG_CONFIG_HOME: '/home/me/.config' }), env)).toEqual([]);
  });
});
