// The shell's UI under plain Node: a real gateway and an MCP client, Electron replaced by fakes that record what the
// tray, the popup window and the notifications were asked to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type * as Electron from 'electron';
import type { BrowserWindowConstructorOptions, NotificationConstructorOptions } from 'electron';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { startShellUi, type ShellUiElectron } from '../../../electron/shell/ui.js';
import type { PrefsStore } from '../../../electron/shell/prefs.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  openedGateways,
  startGateway,
} from '../../helpers/gateway-fixture.js';

function fakeElectron() {
  const log: string[] = [];
  const trays: { image: string; tooltip: string; title: string; menu: unknown; menus: number }[] = [];
  const notes: { options: NotificationConstructorOptions; fire(event: string, index?: number): void }[] = [];
  const windows: BrowserWindowConstructorOptions[] = [];
  const electron: ShellUiElectron<Electron.MenuItemConstructorOptions[], { id: number }> = {
    Tray: class {
      private readonly tray = { image: '', tooltip: '', title: '', menu: undefined as unknown, menus: 0 };
      constructor(image: string) {
        this.tray.image = image;
        trays.push(this.tray);
      }
      setImage(image: string) {
        this.tray.image = image;
      }
      setToolTip(tooltip: string) {
        this.tray.tooltip = tooltip;
      }
      setTitle(title: string) {
        this.tray.title = title;
      }
      setContextMenu(menu: unknown) {
        this.tray.menu = menu;
        this.tray.menus++;
      }
      destroy() {
        log.push('tray destroyed');
      }
    },
    Menu: { buildFromTemplate: (template) => template },
    Notification: class {
      private readonly listeners = new Map<string, (event: unknown, index?: number) => void>();
      constructor(options: NotificationConstructorOptions) {
        notes.push({ options, fire: (event, index) => this.listeners.get(event)?.({}, index) });
      }
      static isSupported() {
        return true;
      }
      show() {
        log.push('notification shown');
      }
      close() {
        log.push('notification closed');
      }
      on(event: string, listener: (event: unknown, index: number) => void) {
        this.listeners.set(event, listener as (event: unknown, index?: number) => void);
        return this;
      }
    },
    BrowserWindow: class {
      readonly webContents = { id: 1 };
      private visible = false;
      constructor(options: BrowserWindowConstructorOptions) {
        windows.push(options);
      }
      async loadURL(url: string) {
        log.push(`popup load ${url}`);
      }
      showInactive() {
        log.push('popup showInactive');
        this.visible = true;
      }
      show() {
        log.push('popup show');
      }
      hide() {
        log.push('popup hide');
        this.visible = false;
      }
      isVisible() {
        return this.visible;
      }
      isDestroyed() {
        return false;
      }
      getBounds() {
        return { x: 0, y: 0, width: 420, height: 560 };
      }
      on() {
        return this;
      }
    },
    screen: { getPrimaryDisplay: () => ({ workArea: { x: 0, y: 25, width: 1280, height: 775 } }) },
    app: {
      isPackaged: false,
      setAppUserModelId: (id) => log.push(`app user model id ${id}`),
      setLoginItemSettings: () => log.push('login item set'),
      getLoginItemSettings: () => ({ openAtLogin: false }),
    },
  };
  return { electron, log, trays, notes, windows };
}

function memoryStore(): PrefsStore {
  const data = new Map<string, unknown>();
  return { get: (key) => data.get(key), set: (key, value) => void data.set(key, value) };
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the shell’s UI over a real gateway', () => {
  const opened = openedGateways();
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-ui-config-'));
  afterEach(() => opened.closeAll());
  afterAll(() => fs.rmSync(configDir, { recursive: true, force: true }));

  it('takes Electron itself', () => {
    expectTypeOf<
      Pick<typeof Electron, 'Tray' | 'Menu' | 'Notification' | 'BrowserWindow' | 'app' | 'screen'>
    >().toExtend<ShellUiElectron<Electron.Menu, Electron.WebContents>>();
  });

  it('shows a waiting approval in the tray, the popup (without focus) and a notification; answers from it; shows a pause', async () => {
    const home = makeHome({
      servers: { ev: everythingStdio() },
      policy: { version: '1', default: 'allow', tools: { echo: { action: 'approve' } } },
      grants: ['agent'],
    });
    const { gateway, runtime } = await startGateway(home, ['ev']);
    const agent = await connectClient(runtime.mcpUrl, home.tokens.agent as string);
    opened.track(home, gateway, agent);
    const fake = fakeElectron();
    const registered: unknown[] = [];
    const ui = await startShellUi(
      fake.electron,
      {
        gateway,
        started: Promise.resolve(runtime),
        openDashboard: () => fake.log.push('dashboard'),
        quit: () => fake.log.push('quit'),
        registerWindow: (contents) => registered.push(contents),
        pageUrl: (view) => `gatehouse://app/?view=${view}`,
      },
      {
        preload: '/app/preload.cjs',
        store: memoryStore(),
        iconDir: '/icons',
        platform: 'darwin',
        configDir,
      },
    );
    const tray = () => fake.trays[0];
    await until('the tray serves', () => tray()?.tooltip === 'Gatehouse — guarding');
    expect(tray()?.image).toBe(path.join('/icons', 'tray-idle.png'));

    const call = agent.request(
      { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'from the tray' } } },
      CallToolResultSchema,
      { timeout: 60_000 },
    ) as Promise<CallToolResult>;
    await until('a notification', () => fake.notes.length === 1);
    expect(tray()).toMatchObject({
      image: path.join('/icons', 'tray-waiting.png'),
      tooltip: 'Gatehouse — 1 approval waiting',
      title: '1',
    });
    expect(fake.windows).toHaveLength(1);
    // By the tray (macOS: the top right corner), over everything, not shown until asked.
    expect(fake.windows[0]).toMatchObject({ x: 848, y: 37, alwaysOnTop: true, show: false });
    expect(registered).toEqual([{ id: 1 }]);
    expect(fake.log.filter((l) => l.startsWith('popup'))).toEqual([
      'popup load gatehouse://app/?view=popup',
      'popup showInactive',
    ]);
    expect(fake.notes[0]?.options).toMatchObject({ title: 'agent wants ev / echo' });

    fake.notes[0]?.fire('action', 0);
    const result = await call;
    expect((result.content[0] as { text: string }).text).toBe('Echo: from the tray');
    await until('the tray is idle again', () => tray()?.image === path.join('/icons', 'tray-idle.png'));
    expect(tray()?.title).toBe('');
    expect(fake.log).toContain('notification closed');
    expect(fake.log.filter((l) => l.startsWith('popup'))).toEqual([
      'popup load gatehouse://app/?view=popup',
      'popup showInactive',
      'popup hide',
    ]);
    // Nothing changes, nothing is drawn again (an open menu stays open).
    const menus = tray()?.menus;
    await new Promise((r) => setTimeout(r, 1200));
    expect(tray()?.menus).toBe(menus);

    gateway.setPaused(true);
    await until('the tray shows the pause', () => tray()?.image === path.join('/icons', 'tray-paused.png'));
    expect(tray()?.tooltip).toBe('Gatehouse — paused');
    const { records } = readAllRecords(gateway.paths.logs);
    expect(records.find((r) => r.status === 'ok')?.approval).toMatchObject({
      by: 'the user',
      via: 'notification',
    });
    ui.close();
  });
});
