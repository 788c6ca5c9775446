// The calls the live view holds, newest first, built to stay fast at 100,000 records: live calls are appended to one
// array and older pages to another (both O(1)), a record is found by id in a Map, and readers subscribe to a version.
import type { CallRecord } from '../../../shared/call-record';

interface Slot {
  side: 'newer' | 'older';
  index: number;
}

export class CallStore {
  /** Live calls in arrival order: the last one is the newest. */
  private newer: CallRecord[] = [];
  /** Calls from pages of the log, newest first. */
  private older: CallRecord[] = [];
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  get size(): number {
    return this.newer.length + this.older.length;
  }

  /** How many records came from the live stream (rows added at the top). */
  get liveCount(): number {
    return this.newer.length;
  }

  /** The record shown at row `row` (0 = newest). */
  at(row: number): CallRecord | undefined {
    const n = this.newer.length;
    return row < n ? this.newer[n - 1 - row] : this.older[row - n];
  }

  get(id: string): CallRecord | undefined {
    const slot = this.slots.get(id);
    if (!slot) return undefined;
    return slot.side === 'newer' ? this.newer[slot.index] : this.older[slot.index];
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Row of a record (0 = newest), or -1. */
  rowOf(id: string): number {
    const slot = this.slots.get(id);
    if (!slot) return -1;
    return slot.side === 'newer' ? this.newer.length - 1 - slot.index : this.newer.length + slot.index;
  }

  /**
   * A record from the live stream: replaces the one with the same id where it stands (an outcome updates its call),
   * or becomes the newest when `accept` says it belongs to the list.
   */
  upsertLive(record: CallRecord, accept: (record: CallRecord) => boolean = () => true): boolean {
    const slot = this.slots.get(record.id);
    if (slot) {
      (slot.side === 'newer' ? this.newer : this.older)[slot.index] = record;
      return true;
    }
    if (!accept(record)) return false;
    this.slots.set(record.id, { side: 'newer', index: this.newer.length });
    this.newer.push(record);
    return true;
  }

  /** A page of older calls (newest first); records already held are kept, not duplicated. */
  appendOlder(records: readonly CallRecord[]): void {
    for (const record of records) {
      if (this.slots.has(record.id)) continue;
      this.slots.set(record.id, { side: 'older', index: this.older.length });
      this.older.push(record);
    }
  }

  clear(): void {
    this.newer = [];
    this.older = [];
    this.slots.clear();
  }

  /** Tells subscribers that something changed (called once per batch, not once per record). */
  notify(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  getVersion = (): number => this.version;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
