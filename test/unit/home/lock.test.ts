import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireHomeLock, HomeLockedError } from '../../../electron/gateway/home/lock.js';

describe('home lock', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lock-'));

  it('refuses while a live process holds it, naming that pid', () => {
    const d = dir();
    const lock = path.join(d, 'gateway.lock');
    fs.writeFileSync(lock, `${process.ppid}\n`);
    expect(() => acquireHomeLock(lock, d)).toThrow(HomeLockedError);
    expect(() => acquireHomeLock(lock, d)).toThrow(`pid ${process.ppid}`);
  });

  it('takes over a lock left by a dead process, and releases it', () => {
    const d = dir();
    const lock = path.join(d, 'gateway.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    fs.writeFileSync(lock, `${dead.stdout}\n`);
    const release = acquireHomeLock(lock, d);
    expect(fs.readFileSync(lock, 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('refuses a second gateway in the same process, and takes the lock again once released', () => {
    const d = dir();
    const lock = path.join(d, 'gateway.lock');
    const release = acquireHomeLock(lock, d);
    expect(() => acquireHomeLock(lock, d)).toThrow(`pid ${process.pid}`);
    release();
    acquireHomeLock(lock, d)();
    expect(fs.existsSync(lock)).toBe(false);
  });
});
