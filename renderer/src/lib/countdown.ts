// How long the client will still wait for an approval: computed from the approval's expiresAt and an injected clock.
export interface Countdown {
  /** Whole seconds left, never negative. */
  secondsLeft: number;
  expired: boolean;
  /** Share of the wait still left, 0..1 (for a progress bar). */
  fraction: number;
  /** "42 s", "2 min 05 s", or "0 s". */
  text: string;
  /** Below 10 s: worth a warning color. */
  urgent: boolean;
}

export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
}

export function countdown(createdAt: string, expiresAt: string, nowMs: number): Countdown {
  const end = Date.parse(expiresAt);
  const start = Date.parse(createdAt);
  if (Number.isNaN(end))
    return { secondsLeft: 0, expired: true, fraction: 0, text: formatSeconds(0), urgent: true };
  const leftMs = Math.max(0, end - nowMs);
  // Rounded up: "1 s" until the very end, and 0 only once the client has stopped waiting.
  const secondsLeft = Math.ceil(leftMs / 1000);
  const total = Number.isNaN(start) ? leftMs : Math.max(1, end - start);
  const fraction = total > 0 ? Math.min(1, leftMs / total) : 0;
  return {
    secondsLeft,
    expired: leftMs === 0,
    fraction,
    text: formatSeconds(secondsLeft),
    urgent: secondsLeft <= 10,
  };
}
