import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appExecutable,
  autostartFile,
  desktopEntry,
  isLaunchAtLogin,
  setLaunchAtLogin,
  type AutostartOptions,
} from '../../../electron/shell/autostart.js';
import { createPrefs, type PrefsStore } from '../../../electron/shell/prefs.js';

function memoryStore(initial: Record<string, unknown> = {}): PrefsStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return { data, get: (key) => data.get(key), set: (key, value) => void data.set(key, value) };
}

describe('shell preferences', () => {
  it('keep each window’s bounds and launch at login', () => {
    const store = memoryStore();
    const prefs = createPrefs(store);
    expect(prefs.windowBounds('popup')).toBeUndefined();
    expect(prefs.launchAtLogin()).toBe(false);
    prefs.setWindowBounds('popup', { x: 1, y: 2, width: 420, height: 560 });
    prefs.setLaunchAtLogin(true);
    expect(createPrefs(store).windowBounds('popup')).toEqual({ x: 1, y: 2, width: 420, height: 560 });
    expect(createPrefs(store).windowBounds('dashboard')).toBeUndefined();
    expect(createPrefs(store).launchAtLogin()).toBe(true);
  });

  it('fall back to defaults for what a hand-edited store got wrong', () => {
    const prefs = createPrefs(
      memoryStore({ 'windowBounds.popup': { x: 'left', width: -1 }, launchAtLogin: 'yes' }),
    );
    expect(prefs.windowBounds('popup')).toBeUndefined();
    expect(prefs.launchAtLogin()).toBe(false);
  });
});

describe('launch at login', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const options = (platform: NodeJS.Platform) => {
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-autostart-'));
    dirs.push(configDir);
    const loginItems: boolean[] = [];
    const opts: AutostartOptions = {
      platform,
      execPath: '/opt/Gate House/gatehouse',
      configDir,
      app: {
        setLoginItemSettings: ({ openAtLogin }) => void loginItems.push(openAtLogin),
        getLoginItemSettings: () => ({ openAtLogin: loginItems.at(-1) ?? false }),
      },
    };
    return { opts, loginItems, configDir };
  };

  it('writes and removes the XDG autostart entry on Linux', () => {
    const { opts, loginItems, configDir } = options('linux');
    expect(isLaunchAtLogin(opts)).toBe(false);
    setLaunchAtLogin(opts, true);
    const file = path.join(configDir, 'autostart', 'gatehouse.desktop');
    expect(autostartFile(configDir)).toBe(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(desktopEntry('/opt/Gate House/gatehouse'));
    expect(fs.readFileSync(file, 'utf8')).toContain('Exec="/opt/Gate House/gatehouse"\n');
    expect(isLaunchAtLogin(opts)).toBe(true);
    setLaunchAtLogin(opts, false);
    expect(fs.existsSync(file)).toBe(false);
    expect(isLaunchAtLogin(opts)).toBe(false);
    setLaunchAtLogin(opts, false);
    expect(loginItems).toEqual([]);
  });

  it('uses the login items of macOS and Windows', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const { opts, loginItems, configDir } = options(platform);
      setLaunchAtLogin(opts, true);
      expect(isLaunchAtLogin(opts)).toBe(true);
      setLaunchAtLogin(opts, false);
      expect(loginItems).toEqual([true, false]);
      expect(fs.existsSync(path.join(configDir, 'autostart'))).toBe(false);
    }
  });

  it('names the AppImage itself, not the mount it runs from', () => {
    expect(appExecutable({ APPIMAGE: '/home/me/Gatehouse.AppImage' }, '/tmp/.mount_Gate1/gatehouse')).toBe(
      '/home/me/Gatehouse.AppImage',
    );
    expect(appExecutable({}, '/opt/Gatehouse/gatehouse')).toBe('/opt/Gatehouse/gatehouse');
  });

  it('quotes nothing in a plain path', () => {
    expect(desktopEntry('/usr/bin/gatehouse')).toContain('Exec=/usr/bin/gatehouse\n');
  });
});
