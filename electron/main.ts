// The Electron main process: the composition root. Started with `--bridge …` it is the stdio bridge and nothing else;
// otherwise it builds the gateway and hands it, with Electron, to the shell (shell/shell-app.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  protocol,
  shell,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron';
import type { EventPayload } from '../shared/api/events.js';
import { Gateway } from './gateway/app/gateway.js';
import { runBridge } from './gateway/bridge/index.js';
import { defaultHomeDir, homePaths } from './gateway/home/paths.js';
import { createDiagnostics } from './gateway/app/diagnostics.js';
import { bridgeArgsOf, bridgeOptionsOf } from './shell/bridge-mode.js';
import { startShell, type ShellUiContext } from './shell/shell-app.js';
import { buildTrayMenu, type TrayAction, type TrayState } from './shell/tray-menu.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bridgeArgs = bridgeArgsOf(process.argv);

if (bridgeArgs) {
  app.dock?.hide();
  Promise.resolve()
    .then(() => runBridge(bridgeOptionsOf(bridgeArgs)))
    .then(
      () => app.exit(0),
      (err: Error) => {
        process.stderr.write(`gatehouse bridge: ${err.message}\n`);
        app.exit(1);
      },
    );
} else {
  const home = defaultHomeDir();
  const diagnostics = createDiagnostics(homePaths(home).diagnostics, (text) => process.stderr.write(text));
  startShell(
    {
      app,
      protocol,
      ipcMain,
      createWindow: (options) => new BrowserWindow(options),
      openExternal: (url) => void shell.openExternal(url),
      showError: (title, content) => dialog.showErrorBox(title, content),
    },
    {
      gateway: new Gateway({ home, dashboardDir: path.join(here, '..', 'renderer'), diagnostics }),
      dashboardDir: path.join(here, '..', 'renderer'),
      preload: path.join(here, 'preload.cjs'),
      diagnostics,
      startUi: startTray,
    },
  );
}

/**
 * The tray until the shell's UI (tray, approval popup, notifications: shell/ui.ts, startShellUi) lands: it takes this
 * function's place, with the same ShellUiContext.
 */
function startTray(ui: ShellUiContext): void {
  const tray = new Tray(nativeImage.createEmpty());
  const state: TrayState = { status: 'starting', pendingApprovals: 0, paused: false };
  const act: Record<TrayAction, () => void> = {
    'open-dashboard': ui.openDashboard,
    'review-approvals': ui.openDashboard,
    pause: () => ui.gateway.setPaused(true),
    resume: () => ui.gateway.setPaused(false),
    quit: ui.quit,
  };
  const render = () => {
    const items = buildTrayMenu(state).flatMap((item): MenuItemConstructorOptions[] => {
      if ('separator' in item) return [{ type: 'separator' }];
      if ('toggle' in item) return [];
      const { action } = item;
      return [
        { label: item.label, enabled: item.enabled ?? true, ...(action ? { click: act[action] } : {}) },
      ];
    });
    tray.setContextMenu(Menu.buildFromTemplate(items));
    tray.setToolTip(
      state.pendingApprovals > 0 ? `Gatehouse — ${state.pendingApprovals} approvals waiting` : 'Gatehouse',
    );
  };
  render();
  ui.started.then(
    (runtime) => {
      Object.assign(state, { status: 'serving', port: runtime.port, paused: ui.gateway.isPaused() });
      ui.gateway.events.subscribe((event) => {
        if (event.type === 'approval') {
          const { state: change } = event.data as EventPayload<'approval'>;
          state.pendingApprovals = Math.max(0, state.pendingApprovals + (change === 'pending' ? 1 : -1));
        }
        state.paused = ui.gateway.isPaused();
        render();
      });
      render();
    },
    (err: Error) => {
      Object.assign(state, { status: 'error', error: err.message });
      render();
    },
  );
}
