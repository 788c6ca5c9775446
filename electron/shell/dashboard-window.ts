// The dashboard window: one at most, on the app's own origin with the preload's bridge, registered with the IPC
// adapter so its calls are answered. Opened at start, from the tray and by a second launch of the app.
import type { BrowserWindowConstructorOptions } from 'electron';
import type { ShellContents } from './ipc.js';
import { APP_URL } from './protocol.js';
import { secureWebPreferences } from './security.js';

/** What the shell uses of a BrowserWindow (a fake in tests). */
export interface ShellWindow {
  webContents: ShellContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
  isDestroyed(): boolean;
}

/** The page of a shell window: the app's origin, with the gateway's MCP address for the views that show it. */
export function appPageUrl(mcpUrl: string, view?: string): string {
  const url = new URL(APP_URL);
  url.searchParams.set('mcp', mcpUrl);
  if (view) url.searchParams.set('view', view);
  return url.href;
}

function dashboardWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    title: 'Gatehouse',
    show: false,
    webPreferences: secureWebPreferences(preload),
  };
}

export interface DashboardWindowOptions {
  createWindow: (options: BrowserWindowConstructorOptions) => ShellWindow;
  preload: string;
  /** The page to show (appPageUrl). */
  url: string;
  register: (contents: ShellContents) => void;
  diagnostics: (line: string) => void;
}

export function dashboardWindow(options: DashboardWindowOptions) {
  let window: ShellWindow | undefined;
  return {
    /** Shows the dashboard, creating it if needed, and brings it to the front. */
    open(): ShellWindow {
      if (!window || window.isDestroyed()) {
        window = options.createWindow(dashboardWindowOptions(options.preload));
        options.register(window.webContents);
        window.loadURL(options.url).catch((err: Error) => options.diagnostics(`dashboard: ${err.message}`));
      }
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return window;
    },
  };
}
