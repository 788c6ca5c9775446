// Sliding-window rate-limit counters kept in memory: the timestamps of the charges of each key.
// snapshot()/restore() give plain data so the counters can be persisted under state/.
import type { CounterCharge, CounterView } from './types.js';

export interface CounterSnapshot {
  version: 1;
  counters: { key: string; windowMs: number; hits: number[] }[];
}

interface Entry {
  /** The longest window this key was charged with: older hits can never count again. */
  windowMs: number;
  /** Ascending timestamps (ms). */
  hits: number[];
}

/** Index of the first hit greater than `time` in an ascending array. */
function firstAfter(hits: readonly number[], time: number): number {
  let low = 0;
  let high = hits.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((hits[middle] ?? 0) <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class CounterStore implements CounterView {
  private readonly entries = new Map<string, Entry>();

  /** Timestamps (ms) of the charges of `key` that fall in (now - windowMs, now], oldest first (a copy). */
  hitsInWindow(key: string, windowMs: number, now: number): readonly number[] {
    const entry = this.entries.get(key);
    if (!entry) return [];
    return entry.hits.slice(firstAfter(entry.hits, now - windowMs), firstAfter(entry.hits, now));
  }

  // Two binary searches, no copy: a busy window holds thousands of hits, and every decision asks.
  countInWindow(key: string, windowMs: number, now: number): number {
    const hits = this.entries.get(key)?.hits;
    return hits ? firstAfter(hits, now) - firstAfter(hits, now - windowMs) : 0;
  }

  hitInWindow(key: string, windowMs: number, now: number, n: number): number | undefined {
    const hits = this.entries.get(key)?.hits;
    if (!hits || n < 0) return undefined;
    const at = firstAfter(hits, now - windowMs) + n;
    return at < firstAfter(hits, now) ? hits[at] : undefined;
  }

  /** Records one call at `now` for every charge, and forgets hits that have left their window. */
  charge(charges: readonly CounterCharge[], now: number): void {
    for (const charge of charges) {
      let entry = this.entries.get(charge.key);
      if (!entry) {
        entry = { windowMs: charge.windowMs, hits: [] };
        this.entries.set(charge.key, entry);
      }
      entry.windowMs = Math.max(entry.windowMs, charge.windowMs);
      const at = firstAfter(entry.hits, now);
      if (at === entry.hits.length) entry.hits.push(now);
      else entry.hits.splice(at, 0, now);
      this.prune(charge.key, entry, now);
    }
  }

  /** Drops every hit that no window can count any more at `now`. */
  pruneAll(now: number): void {
    for (const [key, entry] of this.entries) this.prune(key, entry, now);
  }

  /** Forgets the counters whose key the predicate accepts, e.g. a closed session's (its limits reset on reconnect). */
  forget(predicate: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (predicate(key)) this.entries.delete(key);
  }

  snapshot(): CounterSnapshot {
    return {
      version: 1,
      counters: [...this.entries].map(([key, entry]) => ({
        key,
        windowMs: entry.windowMs,
        hits: [...entry.hits],
      })),
    };
  }

  /** Replaces the counters with a snapshot's; entries that are not well-formed are skipped. */
  restore(snapshot: CounterSnapshot): void {
    this.entries.clear();
    if (snapshot.version !== 1 || !Array.isArray(snapshot.counters)) return;
    for (const item of snapshot.counters) {
      const valid =
        typeof item.key === 'string' &&
        Number.isFinite(item.windowMs) &&
        item.windowMs > 0 &&
        Array.isArray(item.hits) &&
        item.hits.every((hit) => Number.isFinite(hit));
      if (!valid) continue;
      this.entries.set(item.key, { windowMs: item.windowMs, hits: [...item.hits].sort((a, b) => a - b) });
    }
  }

  private prune(key: string, entry: Entry, now: number): void {
    const keep = firstAfter(entry.hits, now - entry.windowMs);
    if (keep > 0) entry.hits.splice(0, keep);
    if (entry.hits.length === 0) this.entries.delete(key);
  }
}
