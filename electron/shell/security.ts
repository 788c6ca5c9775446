// Electron hardening in one place (Electron's security checklist): the webPreferences of every window, and the guards
// that deny navigation, new windows and permission requests. Pure options are exported for unit tests.
import type { App, WebContents, WebPreferences } from 'electron';

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

/** True for the gateway's own dashboard origin: the only place a window may show. */
export function isOwnOrigin(url: string, port: number): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && u.hostname === '127.0.0.1' && u.port === String(port);
  } catch {
    return false;
  }
}

function guardWebContents(
  contents: WebContents,
  port: () => number,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOwnOrigin(url, port())) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

export function installSecurityGuards(
  app: App,
  port: () => number,
  openExternal: (url: string) => void,
): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, port, openExternal));
}
