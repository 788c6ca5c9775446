// electron-builder.yml, checked offline: read by electron-builder's own loader, accepted by its own schema, with the
// targets, icons and fuses the app ships with.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';
import { APP_USER_MODEL_ID } from '../../../electron/shell/notifications.js';
import { REPO_ROOT } from '../../helpers/gateway-fixture.js';

interface BuilderConfig {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean }): Promise<void>;
}
// electron-builder's configuration code lives in its own dependency, app-builder-lib: reached through electron-builder.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const builder = fromBuilder('app-builder-lib/out/util/config/config.js') as BuilderConfig;

/** Width and height of a PNG, after checking its signature and that IHDR comes first. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('packaging (electron-builder.yml)', async () => {
  const config = await builder.getConfig(REPO_ROOT, null, null);

  it('is accepted by electron-builder’s own schema', async () => {
    await expect(builder.validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
    await expect(
      builder.validateConfiguration(
        { ...config, electronFuses: { runAsNod: false } as never },
        { isEnabled: false },
      ),
    ).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('has the app id under which Windows shows the shell’s notifications', () => {
    expect(config.appId).toBe(APP_USER_MODEL_ID);
  });

  it('builds a dmg, an nsis installer, an AppImage and a deb', () => {
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  });

  it('packs the built app, its launcher and package.json, and the tray icons beside the archive', () => {
    // The loader turns the list into one file set.
    expect(config.files).toEqual([{ filter: ['dist/**', '!dist/**/*.map', 'bin/**', 'package.json'] }]);
    expect(config.extraResources).toEqual([{ from: 'resources/tray', to: 'tray' }]);
    const main = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string }
    ).main;
    expect(main).toMatch(/^dist\//);
  });

  it('turns off running as Node and the other fuses Electron’s checklist names', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('has a 512 px app icon and each tray state at 16 and 32 px', () => {
    for (const icon of [config.icon, config.mac?.icon, config.win?.icon, config.linux?.icon]) {
      expect(pngSize(path.join(REPO_ROOT, icon as string))).toEqual({ width: 512, height: 512 });
    }
    for (const state of ['idle', 'waiting', 'paused', 'failing']) {
      const tray = path.join(REPO_ROOT, 'resources', 'tray', `tray-${state}`);
      expect(pngSize(`${tray}.png`)).toEqual({ width: 16, height: 16 });
      expect(pngSize(`${tray}@2x.png`)).toEqual({ width: 32, height: 32 });
    }
  });
});
