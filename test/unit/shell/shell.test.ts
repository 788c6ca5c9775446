import { describe, expect, it } from 'vitest';
import {
  guardWebContents,
  isOwnOrigin,
  secureWebPreferences,
  type GuardedContents,
} from '../../../electron/shell/security.js';
import { buildTrayMenu } from '../../../electron/shell/tray-menu.js';

describe('shell security options', () => {
  it('isolates and sandboxes every window, with no Node in the renderer', () => {
    expect(secureWebPreferences()).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('lets a window show only the app’s own origin, gatehouse://app', () => {
    expect(isOwnOrigin('gatehouse://app/')).toBe(true);
    expect(isOwnOrigin('gatehouse://app/?mcp=http%3A%2F%2F127.0.0.1%3A7451%2Fmcp#tools')).toBe(true);
    expect(isOwnOrigin('gatehouse://other/')).toBe(false);
    expect(isOwnOrigin('gatehouse://user@app/')).toBe(false);
    expect(isOwnOrigin('http://127.0.0.1:7451/')).toBe(false);
    expect(isOwnOrigin('https://evil.example/')).toBe(false);
    expect(isOwnOrigin('file:///etc/passwd')).toBe(false);
    expect(isOwnOrigin('not a url')).toBe(false);
  });

  it('keeps every window on the app’s origin, opens only https links outside, and grants only the clipboard’s write to it', () => {
    const listeners: Record<string, (event: { preventDefault(): void }, url?: string) => void> = {};
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    let requestHandler:
      | ((c: unknown, p: string, cb: (granted: boolean) => void, d: { requestingUrl: string }) => void)
      | undefined;
    let checkHandler: ((c: unknown, p: string, origin: string) => boolean) | undefined;
    const contents: GuardedContents = {
      on: (event: string, listener: (event: { preventDefault(): void }, url?: string) => void) => {
        listeners[event] = listener;
      },
      setWindowOpenHandler: (handler) => (openHandler = handler),
      session: {
        setPermissionRequestHandler: (handler) => (requestHandler = handler),
        setPermissionCheckHandler: (handler) => (checkHandler = handler),
      },
    } as GuardedContents;
    const opened: string[] = [];
    guardWebContents(contents, (url) => opened.push(url));

    const prevented = (event: string, url?: string) => {
      let stopped = false;
      listeners[event]!({ preventDefault: () => (stopped = true) }, url);
      return stopped;
    };
    expect(prevented('will-navigate', 'gatehouse://app/#tools')).toBe(false);
    expect(prevented('will-navigate', 'http://127.0.0.1:7451/')).toBe(true);
    expect(prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);

    expect(openHandler!({ url: 'https://modelcontextprotocol.io/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'gatehouse://app/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://modelcontextprotocol.io/']);

    const granted: string[] = [];
    const ask = (permission: string, requestingUrl: string) =>
      requestHandler!(contents, permission, (g) => g && granted.push(`${permission} ${requestingUrl}`), {
        requestingUrl,
      });
    for (const permission of ['notifications', 'media', 'clipboard-read', 'openExternal', 'geolocation']) {
      ask(permission, 'gatehouse://app/');
    }
    ask('clipboard-sanitized-write', 'gatehouse://app/#clients');
    ask('clipboard-sanitized-write', 'https://evil.example/');
    expect(granted).toEqual(['clipboard-sanitized-write gatehouse://app/#clients']);
    expect(checkHandler!(null, 'clipboard-sanitized-write', 'gatehouse://app')).toBe(true);
    expect(checkHandler!(null, 'clipboard-sanitized-write', 'http://127.0.0.1:7451')).toBe(false);
    expect(checkHandler!(null, 'notifications', 'gatehouse://app')).toBe(false);
  });
});

describe('tray menu', () => {
  it('shows the status, the waiting approvals, pause or resume, and quit', () => {
    const labels = (s: Parameters<typeof buildTrayMenu>[0]) =>
      buildTrayMenu(s).map((i) =>
        'separator' in i ? '---' : `${i.label}${i.enabled === false ? ' (disabled)' : ''}`,
      );
    expect(labels({ status: 'serving', port: 7451, pendingApprovals: 2, paused: false })).toEqual([
      'Gatehouse is guarding on port 7451 (disabled)',
      '---',
      'Review approvals (2 waiting)',
      'Open dashboard',
      'Pause (every call asks first)',
      '---',
      'Quit Gatehouse',
    ]);
    expect(labels({ status: 'serving', port: 1, pendingApprovals: 0, paused: true })).toContain(
      'No approvals waiting (disabled)',
    );
    expect(labels({ status: 'serving', port: 1, pendingApprovals: 0, paused: true })).toContain(
      'Resume (decide calls by the policy again)',
    );
    expect(labels({ status: 'error', error: 'port 7451 busy', pendingApprovals: 0, paused: false })[0]).toBe(
      'Gatehouse stopped: port 7451 busy (disabled)',
    );
  });
});
