// An action that asks first: a button named "<verb> <name>"; pressed, it becomes the question with the verb and
// Cancel, focus on Cancel — and back on the button when cancelled. The Servers and Clients views remove with it.
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface ConfirmedActionProps {
  verb: string;
  name: string;
  /** The question, after "<verb> <name>?" — what will happen. */
  consequence?: ReactNode;
  busy: boolean;
  className: string;
  /** Runs the action; true when it is done (the question closes), false when it failed (the button comes back). */
  onConfirm: () => Promise<boolean>;
}

export function ConfirmedAction({
  verb,
  name,
  consequence,
  busy,
  className,
  onConfirm,
}: ConfirmedActionProps) {
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (opened.current) askRef.current?.focus();
    opened.current = confirming;
  }, [confirming]);

  if (!confirming) {
    return (
      <button
        ref={askRef}
        type="button"
        className="small"
        aria-label={`${verb} ${name}`}
        disabled={busy}
        onClick={() => setConfirming(true)}
      >
        {verb}
      </button>
    );
  }
  return (
    <div className={className} role="group" aria-label={`${verb} ${name}?`}>
      <span>
        {verb} <strong className="mono">{name}</strong>?{consequence && <> {consequence}</>}
      </span>
      <button
        type="button"
        className="small deny"
        disabled={busy}
        onClick={() => void onConfirm().then((done) => done || setConfirming(false))}
      >
        {verb}
      </button>
      <button
        ref={cancelRef}
        type="button"
        className="small"
        disabled={busy}
        onClick={() => setConfirming(false)}
      >
        Cancel
      </button>
    </div>
  );
}
