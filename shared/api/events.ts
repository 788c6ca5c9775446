// Events of GET /api/events (SSE) and of the Electron IPC bridge: each with a sequence number, in order.
import { z } from 'zod';
import { CallRecord } from '../call-record.js';
import { UpstreamStatus } from '../servers.js';
import { PendingApproval } from './approvals.js';

export const EVENT_TYPES = ['call', 'approval', 'policy', 'server', 'tools'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EventData = {
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
} satisfies Record<EventType, z.ZodType>;

export type EventPayload<T extends EventType> = z.infer<(typeof EventData)[T]>;

export interface GatehouseEvent<T extends EventType = EventType> {
  seq: number;
  type: T;
  data: EventPayload<T>;
}
