// The tray menu as a pure function of state: unit-tested without Electron (the shape of Ollama's menubar app).
export interface TrayState {
  status: 'starting' | 'serving' | 'error';
  port?: number;
  pendingApprovals: number;
  paused: boolean;
  error?: string;
}

export type TrayAction = 'open-dashboard' | 'review-approvals' | 'pause' | 'resume' | 'quit';

export type TrayItem = { label: string; enabled?: boolean; action?: TrayAction } | { separator: true };

export function buildTrayMenu(state: TrayState): TrayItem[] {
  const status =
    state.status === 'serving'
      ? `Gatehouse is guarding on port ${state.port}${state.paused ? ' — paused' : ''}`
      : state.status === 'starting'
        ? 'Gatehouse is starting…'
        : `Gatehouse stopped: ${state.error ?? 'unknown error'}`;
  const serving = state.status === 'serving';
  return [
    { label: status, enabled: false },
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
    { label: 'Quit Gatehouse', action: 'quit' },
  ];
}
