import { describe, expect, it } from 'vitest';
import type { GatehouseEvent } from '../../../shared/api/events.js';
import { menuTemplate, type TrayHandlers } from '../../../electron/shell/tray.js';
import { buildTrayMenu } from '../../../electron/shell/tray-menu.js';
import {
  TRAY_START,
  trayEventOf,
  trayLook,
  trayState,
  type TrayEvent,
  type TrayModel,
} from '../../../electron/shell/tray-state.js';

const run = (...events: TrayEvent[]): TrayModel => events.reduce(trayState, TRAY_START);
const serving: TrayEvent = { type: 'serving', port: 7451, paused: false };

describe('tray state from the gateway’s events', () => {
  it('counts the approvals waiting by id: a repeat or an unknown resolution changes nothing', () => {
    const state = run(
      serving,
      { type: 'approval', state: 'pending', id: 'a' },
      { type: 'approval', state: 'pending', id: 'b' },
      { type: 'approval', state: 'pending', id: 'a' },
      { type: 'approval', state: 'resolved', id: 'zzz' },
    );
    expect(state.pendingApprovals).toBe(2);
    const after = trayState(trayState(state, { type: 'approval', state: 'resolved', id: 'a' }), {
      type: 'approval',
      state: 'resolved',
      id: 'b',
    });
    expect(after.pendingApprovals).toBe(0);
    expect(trayLook(after).icon).toBe('idle');
  });

  it('returns the same state for an event that changes nothing (the tray is not drawn again)', () => {
    const state = run(
      serving,
      { type: 'approval', state: 'pending', id: 'a' },
      { type: 'launch-at-login', enabled: true },
    );
    for (const event of [
      { type: 'paused', paused: false },
      { type: 'launch-at-login', enabled: true },
      { type: 'approval', state: 'pending', id: 'a' },
      { type: 'approval', state: 'resolved', id: 'b' },
      { type: 'server', name: 'ev', failed: false },
    ] satisfies TrayEvent[]) {
      expect(trayState(state, event)).toBe(state);
    }
    expect(trayState(state, { type: 'paused', paused: true })).not.toBe(state);
  });

  it('keeps the failing upstreams until they recover', () => {
    const failed = run(serving, { type: 'server', name: 'ev', failed: true });
    expect(failed.failing).toEqual(['ev']);
    expect(trayState(failed, { type: 'server', name: 'ev', failed: false }).failing).toEqual([]);
  });

  it('takes approvals and failed upstreams out of gateway events, and nothing else', () => {
    const approval = {
      id: 'x',
      grant: 'agent',
      server: 'ev',
      tool: 'echo',
      exposedName: 'ev__echo',
      arguments: {},
      reason: 'rule',
      risk: { category: 'read', level: 'low', reasons: [] },
      createdAt: '2026-01-01T00:00:00Z',
      expiresAt: '2026-01-01T00:00:50Z',
    };
    const event = (type: string, data: unknown) => ({ seq: 1, type, data }) as GatehouseEvent;
    expect(trayEventOf(event('approval', { state: 'pending', approval }))).toEqual({
      type: 'approval',
      state: 'pending',
      id: 'x',
    });
    expect(trayEventOf(event('server', { name: 'ev', state: 'failed' }))).toEqual({
      type: 'server',
      name: 'ev',
      failed: true,
    });
    expect(trayEventOf(event('server', { name: 'ev', state: 'restarting' }))).toMatchObject({
      failed: false,
    });
    expect(trayEventOf(event('policy', { version: '1' }))).toBeUndefined();
  });
});

describe('tray look', () => {
  it('shows at a glance: waiting (with the count) over failing over paused over idle', () => {
    expect(trayLook(run(serving))).toEqual({ icon: 'idle', tooltip: 'Gatehouse — guarding' });
    expect(trayLook(run(serving, { type: 'paused', paused: true }))).toEqual({
      icon: 'paused',
      tooltip: 'Gatehouse — paused',
    });
    const failing = run(
      serving,
      { type: 'paused', paused: true },
      { type: 'server', name: 'ev', failed: true },
    );
    expect(trayLook(failing)).toEqual({ icon: 'failing', tooltip: 'Gatehouse — failing: ev · paused' });
    expect(trayLook(trayState(failing, { type: 'approval', state: 'pending', id: 'a' }))).toEqual({
      icon: 'waiting',
      tooltip: 'Gatehouse — 1 approval waiting · failing: ev · paused',
      title: '1',
    });
    expect(trayLook(run({ type: 'stopped', error: 'port 7451 busy' }))).toMatchObject({
      icon: 'failing',
      tooltip: 'Gatehouse — stopped: port 7451 busy',
    });
  });
});

describe('tray menu', () => {
  it('has the status with the port, approvals, dashboard, pause, launch at login and quit', () => {
    const state = run(
      serving,
      { type: 'launch-at-login', enabled: true },
      { type: 'approval', state: 'pending', id: 'a' },
      { type: 'server', name: 'ev', failed: true },
    );
    expect(buildTrayMenu(state)).toEqual([
      { label: 'Gatehouse is guarding on port 7451 — failing: ev', enabled: false },
      { separator: true },
      { label: 'Review approvals (1 waiting)', enabled: true, action: 'review-approvals' },
      { label: 'Open dashboard', enabled: true, action: 'open-dashboard' },
      { label: 'Pause (every call asks first)', enabled: true, action: 'pause' },
      { separator: true },
      { label: 'Launch at login', checked: true, toggle: 'launch-at-login' },
      { label: 'Quit Gatehouse', action: 'quit' },
    ]);
  });

  it('turns items into Electron’s template: the checkbox toggles, each click runs its action', () => {
    const calls: string[] = [];
    const on = {
      'open-dashboard': () => calls.push('open'),
      'review-approvals': () => calls.push('review'),
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
      quit: () => calls.push('quit'),
      'launch-at-login': (enabled: boolean) => calls.push(`login ${enabled}`),
    } satisfies TrayHandlers;
    const template = menuTemplate(run(serving, { type: 'launch-at-login', enabled: false }), on);
    const checkbox = template.find((i) => i.type === 'checkbox');
    expect(checkbox).toMatchObject({ label: 'Launch at login', checked: false });
    for (const item of template) (item.click as (() => void) | undefined)?.();
    expect(calls).toEqual(['review', 'open', 'pause', 'login true', 'quit']);
    expect(template[0]).toMatchObject({ enabled: false });
    expect(template[0]?.click).toBeUndefined();
  });
});
