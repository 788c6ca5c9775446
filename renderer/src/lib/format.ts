// Small formatters shared by the views.
export function formatTime(ts: string): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return ts;
  return date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
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
