// `npm start` where Electron's binary cannot be fetched: the failed download is said once, remembered with its time
// and reason, not tried again at the next start (3–5 s each) until asked (--retry-electron).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findElectron } from '../../../scripts/electron-find.mjs';

const RETRY = 'run "npm start -- --retry-electron" or "node node_modules/electron/install.js" to try again';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An installed electron package without its binary, as after `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install`. */
function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-electron-'));
  dirs.push(root);
  const electronDir = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(electronDir, { recursive: true });
  fs.writeFileSync(path.join(electronDir, 'package.json'), '{"name":"electron"}');
  const markerFile = path.join(root, 'node_modules', '.cache', 'gatehouse', 'electron-download-failed');
  const downloads: string[] = [];
  const failing = (dir: string) => {
    downloads.push(dir);
    return 'getaddrinfo ENOTFOUND github.com';
  };
  const succeeding = (dir: string) => {
    downloads.push(dir);
    fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
    fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
    return undefined;
  };
  const find = (download: (dir: string) => string | undefined, retry = false) =>
    findElectron({
      electronDir,
      markerFile,
      retry,
      download,
      hasDisplay: true,
      now: () => new Date('2026-12-07T06:41:30Z'),
    });
  return { electronDir, markerFile, downloads, failing, succeeding, find };
}

describe('npm start: a failed Electron download', () => {
  it('is said once with its reason, remembered, and not tried again at the next start', () => {
    const s = setup();
    expect(s.find(s.failing)).toEqual({
      why: `its binary is missing and could not be downloaded: getaddrinfo ENOTFOUND github.com; it is not tried again at each start — ${RETRY}`,
    });
    expect(JSON.parse(fs.readFileSync(s.markerFile, 'utf8'))).toEqual({
      at: '2026-12-07T06:41:30.000Z',
      reason: 'getaddrinfo ENOTFOUND github.com',
    });
    expect(s.find(s.failing)).toEqual({
      why: `its binary is missing; the download failed on 2026-12-07 06:41 UTC: getaddrinfo ENOTFOUND github.com — ${RETRY}`,
    });
    expect(s.downloads).toHaveLength(1);
  });

  it('--retry-electron tries again; a download that works forgets the failure', () => {
    const s = setup();
    s.find(s.failing);
    expect(s.find(s.failing, true).why).toMatch(/^its binary is missing and could not be downloaded: /);
    expect(s.downloads).toHaveLength(2);
    expect(s.find(s.succeeding, true)).toEqual({ bin: path.join(s.electronDir, 'dist', 'electron') });
    expect(fs.existsSync(s.markerFile)).toBe(false);
    // Installed now: no download at all.
    expect(s.find(s.failing).bin).toBe(path.join(s.electronDir, 'dist', 'electron'));
    expect(s.downloads).toHaveLength(3);
  });

  it('a binary installed by hand (node node_modules/electron/install.js) is used despite the marker', () => {
    const s = setup();
    s.find(s.failing);
    s.succeeding(s.electronDir);
    expect(s.find(s.failing).bin).toBe(path.join(s.electronDir, 'dist', 'electron'));
    expect(fs.existsSync(s.markerFile)).toBe(false);
  });

  it('without a display, or without the package, nothing is downloaded', () => {
    const s = setup();
    const headless = findElectron({
      electronDir: s.electronDir,
      markerFile: s.markerFile,
      download: s.failing,
      hasDisplay: false,
    });
    expect(headless).toEqual({ why: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' });
    const absent = findElectron({
      electronDir: path.join(s.electronDir, 'x'),
      markerFile: s.markerFile,
      download: s.failing,
    });
    expect(absent).toEqual({ why: 'the electron package is not installed' });
    expect(s.downloads).toEqual([]);
    expect(fs.existsSync(s.markerFile)).toBe(false);
  });
});
