// Events of GET /api/events (SSE) and of the Electron IPC bridge: each with a sequence number, in order.
import { z } from 'zod';
import { CallRecord } from '../call-record.js';
import { UpstreamStatus } from '../servers.js';
import { PendingApproval } from './approvals.js';
import { CounterBackend } from './counter-shapes.js';

const EVENT_TYPES = ['call', 'approval', 'policy', 'server', 'tools', 'counters'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const EventData = {
  /** A call record as it was written (decision) or updated (outcome). */
  call: CallRecord,
  /** An approval appeared (pending) or was answered/expired (resolved). */
  approval: z.object({
    state: z.enum(['pending', 'resolved']),
    approval: PendingApproval,
    outcome: z.string().optional(),
  }),
  /** The policy in force changed, or a change was refused (error) and the last good one stays. */
  policy: z.object({ version: z.string(), error: z.string().optional() }),
  server: UpstreamStatus,
  tools: z.object({ count: z.number().int() }),
  /** Where the rate-limit counters are kept changed: the team's Redis connected, unavailable, or no longer used. */
  counters: CounterBackend,
} satisfies Record<EventType, z.ZodType>;

export type EventPayload<T extends EventType> = z.infer<(typeof EventData)[T]>;

export interface GatehouseEvent<T extends EventType = EventType> {
  seq: number;
  type: T;
  data: EventPayload<T>;
}

/** Parses one SSE message of /api/events into a typed event; undefined for unknown types or data outside the contract. */
export function parseEvent(type: string, data: string): GatehouseEvent | undefined {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    // Not JSON: not an event of ours (the caller goes on with the next one).
    return undefined;
  }
  const envelope = json as { seq?: unknown; type?: unknown; data?: unknown };
  if (typeof envelope.seq !== 'number' || envelope.type !== type) return undefined;
  const parsed = (EventData[type as EventType] as z.ZodType).safeParse(envelope.data);
  if (!parsed.success) return undefined;
  return { seq: envelope.seq, type, data: parsed.data } as GatehouseEvent;
}
