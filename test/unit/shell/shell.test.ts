import { describe, expect, it } from 'vitest';
import { isOwnOrigin, secureWebPreferences } from '../../../electron/shell/security.js';
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

  it('lets a window show only the gateway’s own origin', () => {
    expect(isOwnOrigin('http://127.0.0.1:7451/#login=x', 7451)).toBe(true);
    expect(isOwnOrigin('http://127.0.0.1:7452/', 7451)).toBe(false);
    expect(isOwnOrigin('http://localhost:7451/', 7451)).toBe(false);
    expect(isOwnOrigin('https://evil.example/', 7451)).toBe(false);
    expect(isOwnOrigin('file:///etc/passwd', 7451)).toBe(false);
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
