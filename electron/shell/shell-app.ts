// The tray app's life, given the Electron API it uses (so a fake stands in for it under plain Node): one instance,
// the app's origin and guards, the gateway in this process, the IPC adapter, the dashboard window, and a quit that
// stops the gateway first (pending approvals answered, log flushed, upstreams stopped). main.ts only supplies Electron.
import type { BrowserWindowConstructorOptions } from 'electron';
import type { Gateway } from '../gateway/app/gateway.js';
import type { RuntimeInfo } from '../gateway/home/runtime.js';
import { appPageUrl, dashboardWindow, type ShellWindow } from './dashboard-window.js';
import { ShellIpc, type IpcMainLike, type ShellContents } from './ipc.js';
import { APP_SCHEME, createAppHandler, registerAppScheme, type ProtocolLike } from './protocol.js';
import { installSecurityGuards, type GuardedApp } from './security.js';

interface ShellApp {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  quit(): void;
  exit(code?: number): void;
  on(event: 'second-instance' | 'activate' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(...args: Parameters<GuardedApp['on']>): unknown;
}

/** The parts of Electron the shell uses. */
export interface ShellElectron {
  app: ShellApp;
  protocol: ProtocolLike;
  ipcMain: IpcMainLike;
  createWindow(options: BrowserWindowConstructorOptions): ShellWindow;
  openExternal(url: string): void;
  showError(title: string, content: string): void;
}

type ShellGateway = Pick<
  Gateway,
  'start' | 'stop' | 'events' | 'isPaused' | 'setPaused' | 'upstreamStatus' | 'controlHandlers'
>;

/** What the tray, the approval popup and the notifications (ui.ts) are given. */
export interface ShellUiContext {
  gateway: ShellGateway;
  /** Resolves once the gateway serves; rejects with why it could not start. */
  started: Promise<RuntimeInfo>;
  openDashboard(): void;
  quit(): void;
  /** A window the UI creates (the popup): its IPC is answered while it lives. It must show pageUrl(…). */
  registerWindow(contents: ShellContents): void;
  /** The app's page with a view of the dashboard (e.g. 'popup'), once the gateway serves. */
  pageUrl(view?: string): string;
}

export interface ShellOptions {
  gateway: ShellGateway;
  /** The built dashboard (dist/renderer), served as gatehouse://app/. */
  dashboardDir: string;
  /** The built preload script (dist/electron/preload.cjs). */
  preload: string;
  diagnostics: (line: string) => void;
  /** The tray, popup and notifications. */
  startUi?: (context: ShellUiContext) => void;
}

/** How long a quit waits for the gateway to stop before it exits anyway (DESIGN.md §3: within 2 s). */
const QUIT_WITHIN_MS = 1900;

/** Starts the shell; `ready` settles once the gateway serves and the dashboard is open (or the start failed). */
export function startShell(electron: ShellElectron, options: ShellOptions): { ready: Promise<void> } {
  const { app } = electron;
  const { gateway, diagnostics } = options;
  registerAppScheme(electron.protocol);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve() };
  }
  installSecurityGuards(app, electron.openExternal);
  const ipc = new ShellIpc({ ipcMain: electron.ipcMain, events: gateway.events, diagnostics });
  let runtime: RuntimeInfo | undefined;
  let dashboard: ReturnType<typeof dashboardWindow> | undefined;
  let uninstallIpc: (() => void) | undefined;

  const openDashboard = () => dashboard?.open();
  // A second launch of the app, or a click on its Dock icon (macOS), shows the dashboard.
  app.on('second-instance', openDashboard);
  app.on('activate', openDashboard);
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    setTimeout(() => app.exit(0), QUIT_WITHIN_MS).unref();
    void gateway
      .stop()
      .catch((err: Error) => diagnostics(`error while stopping: ${err.message}`))
      .finally(() => {
        uninstallIpc?.();
        app.exit(0);
      });
  });

  const ready = app.whenReady().then(async () => {
    electron.protocol.handle(APP_SCHEME, createAppHandler(options.dashboardDir));
    const started = gateway.start();
    options.startUi?.({
      gateway,
      started,
      openDashboard,
      quit: () => app.quit(),
      registerWindow: (contents) => ipc.register(contents),
      pageUrl: (view) => appPageUrl(runtime?.mcpUrl ?? '', view),
    });
    try {
      runtime = await started;
    } catch (err) {
      // A gateway that did not start guards nothing: say why and leave, rather than sit in the tray looking on guard.
      electron.showError('Gatehouse could not start', (err as Error).message);
      app.quit();
      return;
    }
    uninstallIpc = ipc.serve(gateway.controlHandlers());
    dashboard = dashboardWindow({
      createWindow: (o) => electron.createWindow(o),
      preload: options.preload,
      url: appPageUrl(runtime.mcpUrl),
      register: (contents) => ipc.register(contents),
      diagnostics,
    });
    dashboard.open();
  });
  return { ready };
}
