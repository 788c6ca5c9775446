// The pause switch: whether every call is held, what that means with the current pauseMode, and the one button that
// pauses or resumes (PUT /api/pause).
import { useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';

export interface SettingPauseProps {
  api: GatehouseApi;
  pause: { paused: boolean; mode: 'approve' | 'deny' } | undefined;
  onChanged: () => void;
  onError: (err: unknown) => void;
}

export function SettingPause({ api, pause, onChanged, onError }: SettingPauseProps) {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  if (!pause) return <section className="setting-pause muted">Loading the pause switch…</section>;
  const meaning =
    pause.mode === 'deny'
      ? 'every tool call is denied at once with "Gatehouse is paused" (pauseMode deny).'
      : 'every tool call waits for a person to approve it here (pauseMode approve); Resume decides them again.';
  const toggle = () => {
    setSending(true);
    setError(undefined);
    api
      .setPause({ paused: !pause.paused })
      .then(
        () => onChanged(),
        (err: unknown) => {
          setError((err as Error).message);
          onError(err);
        },
      )
      .finally(() => setSending(false));
  };
  return (
    <section
      className={`setting-pause ${pause.paused ? 'is-paused' : 'is-running'}`}
      aria-labelledby="setting-pause-title"
    >
      <div>
        <h2 id="setting-pause-title" role="status" aria-live="polite">
          {pause.paused ? 'Paused' : 'Not paused'}
        </h2>
        <p>
          {pause.paused ? 'Now ' : 'While paused, '}
          {meaning}
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="button" className={pause.paused ? 'approve' : 'deny'} disabled={sending} onClick={toggle}>
        {pause.paused ? 'Resume' : 'Pause all calls'}
      </button>
    </section>
  );
}
