// Electron hardening in one place (Electron's security checklist): the webPreferences of every window, and the guards
// that deny navigation, new windows and permission requests. Pure options are exported for unit tests.
import type { WebPreferences } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol.js';

export function secureWebPreferences(preload?: string): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
    ...(preload ? { preload } : {}),
  };
}

/** True for the app's own origin, gatehouse://app: the only place a window may show and the only one IPC answers. */
export function isOwnOrigin(url: string): boolean {
  try {
    // Node's URL gives no origin for a scheme it does not know: compare its parts.
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Where a window.open or a link with a target goes instead: https pages open in the user's browser, nothing else. */
function externalUrlOf(url: string): string | undefined {
  return /^https:\/\//i.test(url) ? url : undefined;
}

/** What the guards use of a WebContents. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  session: {
    setPermissionRequestHandler(
      handler: (
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
        details: { requestingUrl: string },
      ) => void,
    ): void;
    setPermissionCheckHandler(
      handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean,
    ): void;
  };
}

/**
 * The one permission the app's own pages get: writing text to the clipboard (a new client's token, "Copy").
 * Notifications come from the main process (Electron's Notification, shell/notifications.ts), never from a page.
 */
function permits(permission: string, url: string): boolean {
  return permission === 'clipboard-sanitized-write' && isOwnOrigin(url);
}

/**
 * Every window stays on the app's origin; new windows are refused (an https link opens in the browser); no webview;
 * every permission refused but `permits`.
 */
export function guardWebContents(contents: GuardedContents, openExternal: (url: string) => void): void {
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isOwnOrigin(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlOf(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permits(permission, details.requestingUrl)),
  );
  contents.session.setPermissionCheckHandler((_contents, permission, origin) => permits(permission, origin));
}

/** What the guards use of Electron's app. */
export interface GuardedApp {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

export function installSecurityGuards(app: GuardedApp, openExternal: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal));
}
