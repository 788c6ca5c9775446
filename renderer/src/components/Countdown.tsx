// How long the client will still wait for this approval.
import { useNow } from '../hooks/useNow';
import { countdown } from '../lib/countdown';

export function Countdown({ createdAt, expiresAt }: { createdAt: string; expiresAt: string }) {
  const now = useNow(250);
  const c = countdown(createdAt, expiresAt, now);
  return (
    <div className={`countdown${c.urgent ? ' is-urgent' : ''}${c.expired ? ' is-expired' : ''}`}>
      <span className="countdown-text">
        {c.expired ? (
          <>The client stopped waiting. Approving now lets an identical retry pass within 10 minutes.</>
        ) : (
          <>
            The client waits <strong>{c.text}</strong> more
          </>
        )}
      </span>
      <progress max={1} value={c.fraction} aria-label={`Time the client still waits: ${c.text}`} />
    </div>
  );
}
