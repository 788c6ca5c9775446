// The tray app's user interface in one call: the tray, the approval popup and the notifications, kept current by the
// gateway's events. The shell (shell-app.ts) calls it once with its context: startUi: (ui) => startShellUi(…).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import type { EventPayload, GatehouseEvent } from '../../shared/api/events.js';
import type { UpstreamStatus } from '../../shared/servers.js';
import type { ControlHandlers } from '../gateway/control/operation-call.js';
import type { RuntimeInfo } from '../gateway/home/runtime.js';
import { appExecutable, isLaunchAtLogin, setLaunchAtLogin, type AutostartOptions } from './autostart.js';
import {
  APP_USER_MODEL_ID,
  createApprovalNotifier,
  type Decision,
  type NotificationElectron,
} from './notifications.js';
import { createPopup, popupPlace, type PopupWindow } from './popup.js';
import { createPrefs, type PrefsStore } from './prefs.js';
import { createTray, type TrayElectron } from './tray.js';
import { TRAY_START, trayEventOf, trayState, type TrayEvent } from './tray-state.js';

/** The parts of Electron the shell's UI uses: pass `electron` itself, or a fake in tests. */
export interface ShellUiElectron<Menu, Contents> extends TrayElectron<Menu>, NotificationElectron {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => PopupWindow<Contents>;
  app: AutostartOptions['app'] & { readonly isPackaged: boolean; setAppUserModelId(id: string): void };
  /** Puts the popup by the tray; without it, the popup opens where the person left it, or centred. */
  screen?: { getPrimaryDisplay(): { workArea: Rectangle } };
}

/** What the shell gives its UI (shell-app.ts's ShellUiContext). */
export interface ShellUiHost<Contents> {
  gateway: {
    readonly events: { subscribe(listener: (event: GatehouseEvent) => void): () => void };
    isPaused(): boolean;
    setPaused(paused: boolean): void;
    upstreamStatus(): UpstreamStatus[];
    /** The gateway's own control handlers (those the HTTP API and the IPC adapter serve). */
    controlHandlers(): Pick<ControlHandlers, 'answerApproval'>;
  };
  /** Resolves once the gateway serves; rejects with why it could not start. */
  started: Promise<Pick<RuntimeInfo, 'port' | 'controlUrl' | 'adminToken'>>;
  openDashboard(): void;
  quit(): void;
  /** A window the UI creates: its IPC is answered while it lives. */
  registerWindow(contents: Contents): void;
  /** The app's page with a view of the dashboard. */
  pageUrl(view?: string): string;
}

export interface ShellUiOptions {
  /** The built preload script: the popup's page reaches the gateway through its bridge. */
  preload: string;
  /** electron-store by default; an in-memory store in tests. */
  store?: PrefsStore;
  /** Where tray-<state>.png live (trayIconDir by default). */
  iconDir?: string;
  platform?: NodeJS.Platform;
  execPath?: string;
  configDir?: string;
  clock?: () => number;
  /** Where a failure the person did not cause is told (a notification's answer refused, say). */
  diagnostics?: (line: string) => void;
}

// Both dist/electron/main.js (bundled) and electron/shell/ui.ts (tests) sit two folders below the app's root.
const APP_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Packaged, the tray icons lie beside app.asar (electron-builder's extraResources): a tray may hand its icon's path to
 * the system, which cannot read inside the archive. In a checkout they are in resources/tray.
 */
function trayIconDir(packaged: boolean): string {
  return packaged ? path.join(process.resourcesPath, 'tray') : path.join(APP_ROOT, 'resources', 'tray');
}

const PAUSE_READ_MS = 1000;

async function electronStore(): Promise<PrefsStore> {
  const { default: Store } = await import('electron-store');
  return new Store({ name: 'shell-preferences' });
}

export async function startShellUi<Menu, Contents>(
  electron: ShellUiElectron<Menu, Contents>,
  host: ShellUiHost<Contents>,
  options: ShellUiOptions,
) {
  const { gateway } = host;
  const platform = options.platform ?? process.platform;
  const diagnostics = options.diagnostics ?? ((line: string) => console.error(line));
  const prefs = createPrefs(options.store ?? (await electronStore()));
  const autostart: AutostartOptions = {
    platform,
    execPath: options.execPath ?? appExecutable(process.env, process.execPath),
    configDir: options.configDir ?? process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'),
    app: electron.app,
  };
  // Written again at each start: an app that moved or updated keeps a login entry that starts it.
  if (prefs.launchAtLogin()) setLaunchAtLogin(autostart, true);

  const { screen } = electron;
  const popup = createPopup({
    createWindow: (windowOptions) => new electron.BrowserWindow(windowOptions),
    url: () => host.pageUrl('popup'),
    preload: options.preload,
    bounds: () =>
      screen
        ? popupPlace(screen.getPrimaryDisplay().workArea, platform, prefs.windowBounds('popup'))
        : prefs.windowBounds('popup'),
    onCreated: (window) => host.registerWindow(window.webContents),
    onMoved: (bounds) => prefs.setWindowBounds('popup', bounds),
  });
  // A notification's answer goes the way of every other face's: to the gateway's control handlers, validated alike.
  const answer = (id: string, decision: Decision) =>
    void host.started
      .then(() => host.gateway.controlHandlers().answerApproval({ id, decision, via: 'notification' }, {}))
      .catch((err: unknown) => {
        diagnostics(`the answer from a notification was not taken: ${(err as Error).message}`);
      });
  if (platform === 'win32') electron.app.setAppUserModelId(APP_USER_MODEL_ID);
  const notifier = createApprovalNotifier(electron, {
    platform,
    clock: options.clock ?? Date.now,
    answer,
    openPopup: () => popup.reveal(),
  });

  let model = trayState(TRAY_START, { type: 'launch-at-login', enabled: isLaunchAtLogin(autostart) });
  let closed = false;
  const apply = (...events: TrayEvent[]) => {
    if (closed) return;
    const before = model;
    for (const event of events) model = trayState(model, event);
    if (model === before) return;
    tray.render(model);
    popup.update(model.pendingApprovals);
  };
  const setPaused = (paused: boolean) => {
    gateway.setPaused(paused);
    apply({ type: 'paused', paused: gateway.isPaused() });
  };
  const tray = createTray(electron, options.iconDir ?? trayIconDir(electron.app.isPackaged), {
    'open-dashboard': () => host.openDashboard(),
    'review-approvals': () => popup.reveal(),
    pause: () => setPaused(true),
    resume: () => setPaused(false),
    quit: () => host.quit(),
    'launch-at-login': (enabled) => {
      setLaunchAtLogin(autostart, enabled);
      prefs.setLaunchAtLogin(enabled);
      apply({ type: 'launch-at-login', enabled: isLaunchAtLogin(autostart) });
    },
  });
  tray.render(model);

  const unsubscribe = gateway.events.subscribe((event) => {
    if (event.type === 'approval') {
      const { state, approval } = event.data as EventPayload<'approval'>;
      if (state === 'pending') notifier.added(approval);
      else notifier.resolved(approval.id);
    }
    const change = trayEventOf(event);
    if (change) apply(change);
  });
  // The pause has no event of its own (a pause from the dashboard or the CLI): the switch is read every second.
  const pauseWatch = setInterval(() => apply({ type: 'paused', paused: gateway.isPaused() }), PAUSE_READ_MS);
  pauseWatch.unref();
  host.started.then(
    (runtime) =>
      apply(
        { type: 'serving', port: runtime.port, paused: gateway.isPaused() },
        ...gateway
          .upstreamStatus()
          .map((s): TrayEvent => ({ type: 'server', name: s.name, failed: s.state === 'failed' })),
      ),
    (err: unknown) => apply({ type: 'stopped', error: (err as Error).message }),
  );

  return {
    prefs,
    close(): void {
      closed = true;
      unsubscribe();
      clearInterval(pauseWatch);
      tray.destroy();
    },
  };
}
