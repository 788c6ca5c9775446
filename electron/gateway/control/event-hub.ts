// The event stream of the control API: every event gets the next sequence number; the last ones are kept so a
// client that reconnects with Last-Event-ID misses nothing that is still in the buffer. Only a client that has
// subscribed before can reconnect, so the buffer starts with the first subscriber: a headless gateway nobody watches
// keeps no call records in memory (README "Performance": they were most of what its heap retained and promoted).
import { type EventPayload, type EventType, type GatehouseEvent } from '../../../shared/api/events.js';

export class EventHub {
  private seq = 0;
  private readonly buffer: GatehouseEvent[] = [];
  private readonly listeners = new Set<(event: GatehouseEvent) => void>();
  private buffering = false;

  constructor(private readonly keep = 1000) {}

  emit<T extends EventType>(type: T, data: EventPayload<T>): void {
    const event = { seq: ++this.seq, type, data } as GatehouseEvent;
    if (this.buffering) {
      this.buffer.push(event);
      if (this.buffer.length > this.keep) this.buffer.shift();
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Subscribes; events after `afterSeq` still in the buffer are replayed first, in order. */
  subscribe(listener: (event: GatehouseEvent) => void, afterSeq?: number): () => void {
    this.buffering = true;
    if (afterSeq !== undefined) for (const e of this.buffer) if (e.seq > afterSeq) listener(e);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastSeq(): number {
    return this.seq;
  }
}
