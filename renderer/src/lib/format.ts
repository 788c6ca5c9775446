// Small formatters shared by the views.

/** A time of day, with its date in front when it is not of `now`'s day (so days stay apart when scrolling back). */
export function formatTime(ts: string, now = new Date()): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return ts;
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    // Not hour12: false, which some locales read as 1–24 (midnight as "24:00:06").
    hourCycle: 'h23',
  });
  if (date.toDateString() === now.toDateString()) return time;
  return `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

/** A call's latency: "…" while it runs, "—" for a call refused before it was forwarded (it has none). */
export function formatLatency(durationMs: number | undefined, running = false): string {
  if (durationMs === undefined) return running ? '…' : '—';
  if (durationMs < 1000) return `${Math.round(durationMs)} ms`;
  return `${(durationMs / 1000).toFixed(durationMs < 10_000 ? 1 : 0)} s`;
}

/** A count with its noun in the right number: "1 tool", "2 tools"; `many` where the plural is not `word` + "s". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
