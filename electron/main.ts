// The Electron main process: composition root. Builds the gateway and the shell (tray, dashboard window), wires them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, nativeImage, shell, Tray } from 'electron';
import type { EventPayload } from '../shared/api/events.js';
import { Gateway } from './gateway/app/gateway.js';
import { defaultHomeDir } from './gateway/home/paths.js';
import { installSecurityGuards, secureWebPreferences } from './shell/security.js';
import { buildTrayMenu, type TrayAction, type TrayState } from './shell/tray-menu.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let tray: Tray | undefined;
let window: BrowserWindow | undefined;
const state: TrayState = { status: 'starting', pendingApprovals: 0, paused: false };

if (!app.requestSingleInstanceLock()) app.quit();

const gateway = new Gateway({ home: defaultHomeDir(), dashboardDir: path.join(here, '..', 'renderer') });

function openDashboard(hash = ''): void {
  if (!window || window.isDestroyed()) {
    window = new BrowserWindow({
      width: 1280,
      height: 820,
      title: 'Gatehouse',
      webPreferences: secureWebPreferences(),
    });
  }
  void window.loadURL(`${gateway.newLoginUrl()}${hash}`);
  window.show();
}

function refreshTray(): void {
  if (!tray) return;
  const act: Record<TrayAction, () => void> = {
    'open-dashboard': () => openDashboard(),
    'review-approvals': () => openDashboard(),
    pause: () => gateway.setPaused(true),
    resume: () => gateway.setPaused(false),
    quit: () => app.quit(),
  };
  tray.setContextMenu(
    Menu.buildFromTemplate(
      buildTrayMenu(state).map((item) =>
        'separator' in item
          ? { type: 'separator' as const }
          : {
              label: item.label,
              enabled: item.enabled ?? true,
              ...(item.action ? { click: act[item.action] } : {}),
            },
      ),
    ),
  );
  tray.setToolTip(
    state.pendingApprovals > 0 ? `Gatehouse — ${state.pendingApprovals} approvals waiting` : 'Gatehouse',
  );
}

app.on('second-instance', () => openDashboard());
app.on('window-all-closed', () => {
  // A tray app keeps running with no window open.
});

void app.whenReady().then(async () => {
  installSecurityGuards(
    app,
    () => gateway.runtime?.port ?? 0,
    (url) => void shell.openExternal(url),
  );
  tray = new Tray(nativeImage.createEmpty());
  refreshTray();
  try {
    const runtime = await gateway.start();
    Object.assign(state, { status: 'serving', port: runtime.port, paused: gateway.isPaused() });
    gateway.events.subscribe((event) => {
      if (event.type === 'approval') {
        const { state: change } = event.data as EventPayload<'approval'>;
        state.pendingApprovals = Math.max(0, state.pendingApprovals + (change === 'pending' ? 1 : -1));
      }
      state.paused = gateway.isPaused();
      refreshTray();
    });
    refreshTray();
    openDashboard();
  } catch (err) {
    Object.assign(state, { status: 'error', error: (err as Error).message });
    refreshTray();
    dialog.showErrorBox('Gatehouse could not start', (err as Error).message);
  }
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  event.preventDefault();
  quitting = true;
  void gateway.stop().finally(() => app.exit(0));
});
