// What the tray shows, derived from the gateway's events by a pure reducer, and the icon and tooltip of that state.
import type { EventPayload, GatehouseEvent } from '../../shared/api/events.js';
import type { TrayState } from './tray-menu.js';

export interface TrayModel extends TrayState {
  /** Ids of the approvals waiting: a resolved one the tray never saw pending cannot make the count negative. */
  waiting: readonly string[];
  failing: readonly string[];
}

export type TrayEvent =
  | { type: 'serving'; port: number; paused: boolean }
  | { type: 'stopped'; error: string }
  | { type: 'approval'; state: 'pending' | 'resolved'; id: string }
  | { type: 'server'; name: string; failed: boolean }
  | { type: 'paused'; paused: boolean }
  | { type: 'launch-at-login'; enabled: boolean };

export const TRAY_START: TrayModel = {
  status: 'starting',
  pendingApprovals: 0,
  paused: false,
  waiting: [],
  failing: [],
};

/** The next state; `prev` itself when the event changes nothing, so the tray is drawn again only for a change. */
export function trayState(prev: TrayModel, event: TrayEvent): TrayModel {
  switch (event.type) {
    case 'serving':
      return { ...prev, status: 'serving', port: event.port, paused: event.paused };
    case 'stopped':
      return { ...prev, status: 'error', error: event.error };
    case 'approval': {
      if (prev.waiting.includes(event.id) === (event.state === 'pending')) return prev;
      const rest = prev.waiting.filter((id) => id !== event.id);
      const waiting = event.state === 'pending' ? [...rest, event.id] : rest;
      return { ...prev, waiting, pendingApprovals: waiting.length };
    }
    case 'server': {
      if (prev.failing.includes(event.name) === event.failed) return prev;
      const rest = prev.failing.filter((name) => name !== event.name);
      return { ...prev, failing: event.failed ? [...rest, event.name] : rest };
    }
    case 'paused':
      return prev.paused === event.paused ? prev : { ...prev, paused: event.paused };
    case 'launch-at-login':
      return prev.launchAtLogin === event.enabled ? prev : { ...prev, launchAtLogin: event.enabled };
  }
}

/** The tray's part of a gateway event: approvals that wait or are done, upstreams that fail or recover. */
export function trayEventOf(event: GatehouseEvent): TrayEvent | undefined {
  if (event.type === 'approval') {
    const { state, approval } = event.data as EventPayload<'approval'>;
    return { type: 'approval', state, id: approval.id };
  }
  if (event.type === 'server') {
    const { name, state } = event.data as EventPayload<'server'>;
    return { type: 'server', name, failed: state === 'failed' };
  }
  return undefined;
}

type TrayIcon = 'idle' | 'waiting' | 'paused' | 'failing';

export interface TrayLook {
  icon: TrayIcon;
  tooltip: string;
  /** Text beside the icon in the macOS menu bar: the number waiting. */
  title?: string;
}

/** Approvals waiting come first (a person can act on them now), then a failure, then the pause. */
export function trayLook(state: TrayModel): TrayLook {
  const notes: string[] = [];
  const n = state.pendingApprovals;
  if (n > 0) notes.push(`${n} approval${n === 1 ? '' : 's'} waiting`);
  if (state.status === 'error') notes.push(`stopped: ${state.error ?? 'unknown error'}`);
  if (state.failing.length > 0) notes.push(`failing: ${state.failing.join(', ')}`);
  if (state.paused) notes.push('paused');
  if (state.status === 'starting') notes.push('starting…');
  const tooltip = notes.length > 0 ? `Gatehouse — ${notes.join(' · ')}` : 'Gatehouse — guarding';
  const icon: TrayIcon =
    n > 0
      ? 'waiting'
      : state.status === 'error' || state.failing.length > 0
        ? 'failing'
        : state.paused
          ? 'paused'
          : 'idle';
  return { icon, tooltip, ...(n > 0 ? { title: String(n) } : {}) };
}
