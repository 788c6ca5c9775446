// The event stream of the control API: every event gets the next sequence number; the last ones are kept so a
// client that reconnects with Last-Event-ID misses nothing that is still in the buffer. Only a client that has
// subscribed before can reconnect, so the buffer starts with the first subscriber: a headless gateway nobody watches
// keeps no call records in memory (README "Performance": they were most of what its heap retained and promoted).
// The buffer is bounded by count and by bytes, and it keeps a call as a summary (short strings, small arguments):
// live subscribers get each event whole, a replay gets what the buffer kept. An event too large to keep even so (an
// approval with huge arguments) is not replayed; the dashboard lists pending approvals again at every reconnection.
import { type EventPayload, type EventType, type GatehouseEvent } from '../../../shared/api/events.js';
import type { CallRecord } from '../../../shared/call-record.js';
import { boundString, boundValue, type Bounds } from '../log/bound.js';

export interface ReplayLimits {
  /** Events kept. */
  events: number;
  /** Characters of JSON kept, all events together. */
  bytes: number;
  /** Characters of JSON of one event; a larger one is not kept. */
  eventBytes: number;
}

const REPLAY_LIMITS: ReplayLimits = { events: 1000, bytes: 4 * 1024 * 1024, eventBytes: 64 * 1024 };

/** A call's arguments as the buffer keeps them. */
const SUMMARY_BOUNDS: Bounds = { maxString: 256, maxItems: 32, maxDepth: 8, budget: 2048 };
/** The longest text field (reason, error, result preview) a kept call has. */
const SUMMARY_TEXT = 1024;

interface Kept {
  event: GatehouseEvent;
  bytes: number;
}

export class EventHub {
  private seq = 0;
  /** Oldest first, from `head` on (dropping the oldest moves `head`, not the other entries). */
  private buffer: (Kept | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  private readonly listeners = new Set<(event: GatehouseEvent) => void>();
  private buffering = false;
  private readonly limits: ReplayLimits;

  constructor(limits: Partial<ReplayLimits> = {}) {
    this.limits = { ...REPLAY_LIMITS, ...limits };
  }

  emit<T extends EventType>(type: T, data: EventPayload<T>): void {
    const event = { seq: ++this.seq, type, data } as GatehouseEvent;
    if (this.buffering) this.keep(event);
    for (const listener of this.listeners) listener(event);
  }

  /** Subscribes; events after `afterSeq` still in the buffer are replayed first, in order. */
  subscribe(listener: (event: GatehouseEvent) => void, afterSeq?: number): () => void {
    this.buffering = true;
    if (afterSeq !== undefined) {
      for (let i = this.head; i < this.buffer.length; i++) {
        const kept = this.buffer[i] as Kept;
        if (kept.event.seq > afterSeq) listener(kept.event);
      }
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastSeq(): number {
    return this.seq;
  }

  private keep(event: GatehouseEvent): void {
    const stored = event.type === 'call' ? { ...event, data: summary(event.data as CallRecord) } : event;
    const bytes = JSON.stringify(stored).length;
    if (bytes > this.limits.eventBytes) return;
    this.buffer.push({ event: stored, bytes });
    this.bytes += bytes;
    while (this.buffer.length - this.head > this.limits.events || this.bytes > this.limits.bytes) {
      this.bytes -= (this.buffer[this.head] as Kept).bytes;
      this.buffer[this.head++] = undefined;
    }
    // Now and then the dropped slots go, so the array never grows past twice the events kept.
    if (this.head > this.limits.events) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
  }
}

/** A call record with bounded arguments and text: what a replay gets. */
function summary(record: CallRecord): CallRecord {
  const out: Record<string, unknown> = { ...record, arguments: boundValue(record.arguments, SUMMARY_BOUNDS) };
  for (const key in out) {
    const value = out[key];
    if (typeof value === 'string' && value.length > SUMMARY_TEXT) out[key] = boundString(value, SUMMARY_TEXT);
  }
  return out as CallRecord;
}
