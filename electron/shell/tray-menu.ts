// The tray menu as a pure function of state: unit-tested without Electron (the shape of Ollama's menubar app).
export interface TrayState {
  status: 'starting' | 'serving' | 'error';
  port?: number;
  pendingApprovals: number;
  paused: boolean;
  error?: string;
  /** Upstream servers that failed (they stay failed until restarted). */
  failing?: readonly string[];
  /** Whether Gatehouse starts at login; left out by a shell that does not manage it (no checkbox then). */
  launchAtLogin?: boolean;
}

export type TrayAction = 'open-dashboard' | 'review-approvals' | 'pause' | 'resume' | 'quit';

type TrayToggle = 'launch-at-login';

export type TrayItem =
  | { label: string; enabled?: boolean; action?: TrayAction }
  // `action?: never` lets a renderer of the menu read `.action` on every item that is not a separator.
  | { label: string; enabled?: boolean; checked: boolean; toggle: TrayToggle; action?: never }
  | { separator: true };

function statusLine(state: TrayState): string {
  if (state.status === 'starting') return 'Gatehouse is starting…';
  if (state.status === 'error') return `Gatehouse stopped: ${state.error ?? 'unknown error'}`;
  const failing = state.failing ?? [];
  return (
    `Gatehouse is guarding on port ${state.port}${state.paused ? ' — paused' : ''}` +
    (failing.length > 0 ? ` — failing: ${failing.join(', ')}` : '')
  );
}

export function buildTrayMenu(state: TrayState): TrayItem[] {
  const serving = state.status === 'serving';
  return [
    { label: statusLine(state), enabled: false },
    { separator: true },
    {
      label:
        state.pendingApprovals > 0
          ? `Review approvals (${state.pendingApprovals} waiting)`
          : 'No approvals waiting',
      enabled: serving && state.pendingApprovals > 0,
      action: 'review-approvals',
    },
    { label: 'Open dashboard', enabled: serving, action: 'open-dashboard' },
    state.paused
      ? { label: 'Resume (decide calls by the policy again)', enabled: serving, action: 'resume' }
      : { label: 'Pause (every call asks first)', enabled: serving, action: 'pause' },
    { separator: true },
    ...(state.launchAtLogin !== undefined
      ? [{ label: 'Launch at login', checked: state.launchAtLogin, toggle: 'launch-at-login' as const }]
      : []),
    { label: 'Quit Gatehouse', action: 'quit' },
  ];
}
