// The Electron main process: the composition root. Started with `--bridge …` it is the stdio bridge and nothing else;
// otherwise it builds the gateway and hands it, with Electron, to the shell (shell/shell-app.ts) and its UI (ui.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  protocol,
  screen,
  shell,
  Tray,
} from 'electron';
import { Gateway } from './gateway/app/gateway.js';
import { runBridge } from './gateway/bridge/index.js';
import { createDiagnostics } from './gateway/app/diagnostics.js';
import { defaultHomeDir, homePaths } from './gateway/home/paths.js';
import { bridgeArgsOf, bridgeOptionsOf } from './shell/bridge-mode.js';
import { startShell } from './shell/shell-app.js';
import { startShellUi } from './shell/ui.js';

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
  const dashboardDir = path.join(here, '..', 'renderer');
  const preload = path.join(here, 'preload.cjs');
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
      gateway: new Gateway({ home, dashboardDir, diagnostics }),
      dashboardDir,
      preload,
      diagnostics,
      startUi: (host) =>
        void startShellUi({ app, BrowserWindow, Menu, Notification, screen, Tray }, host, {
          preload,
          diagnostics,
        }).catch((err: Error) => diagnostics(`the tray could not start: ${err.message}`)),
    },
  );
}
