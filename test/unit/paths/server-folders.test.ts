// The folders a server reads relative paths against: its cwd (or the gateway's), its roots, its folder arguments.
import { describe, expect, it } from 'vitest';
import { serverFolders } from '../../../electron/gateway/paths/server-folders.js';
import { fakeSystem } from './fake-system.js';

const system = fakeSystem({
  platform: 'linux',
  userHome: '/home/me',
  folders: ['/srv/projects', '/srv/data', '/opt/gatehouse', '/home/me/notes', '/real/target'],
  files: ['/opt/server/index.js'],
  links: { '/srv/linked': '/real/target' },
});

describe('serverFolders', () => {
  it('a stdio server: its cwd (else the gateway’s), then its roots and the folders among its arguments', () => {
    expect(
      serverFolders(
        {
          command: 'node',
          args: [
            '/opt/server/index.js',
            '/srv/projects',
            '--verbose',
            '--root=/srv/data',
            'missing',
            '~/notes',
          ],
          cwd: '/srv',
          roots: ['file:///srv/linked'],
        },
        '/opt/gatehouse',
        system,
      ),
    ).toEqual(['/srv', '/real/target', '/srv/projects', '/srv/data', '/home/me/notes']);
    expect(serverFolders({ command: 'node' }, '/opt/gatehouse', system)).toEqual(['/opt/gatehouse']);
  });

  it('a relative cwd, root or argument is taken against the gateway, or the server’s cwd', () => {
    expect(serverFolders({ command: 'node', cwd: 'srv', args: ['projects', 'data'] }, '/', system)).toEqual([
      '/srv',
      '/srv/projects',
      '/srv/data',
    ]);
    expect(serverFolders({ command: 'node', roots: ['projects'] }, '/srv', system)).toEqual([
      '/srv',
      '/srv/projects',
    ]);
  });

  it('each folder also with its symlinks resolved', () => {
    expect(serverFolders({ command: 'node', cwd: '/srv/linked' }, '/', system)).toEqual([
      '/srv/linked',
      '/real/target',
    ]);
  });

  it('a server over HTTP has only its roots; an unknown server none', () => {
    expect(serverFolders({ roots: ['/srv/projects'] }, '/opt/gatehouse', system)).toEqual(['/srv/projects']);
    expect(serverFolders(undefined, '/opt/gatehouse', system)).toEqual([]);
  });
});
