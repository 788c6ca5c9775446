// What the team's audit trail receives of one call record: an OpenTelemetry log record's fields, made from the line
// as the call log wrote it (arguments already redacted there — never the raw arguments). Pure.
import type { CallRecord } from '../../../shared/call-record.js';
import type { LineChain } from '../log/call-log.js';

/** OpenTelemetry's severity numbers (the log data model): INFO, WARN, ERROR. */
const SEVERITY = { INFO: 9, WARN: 13, ERROR: 17 } as const;

export interface AuditLogRecord {
  /** Milliseconds since the epoch: the decision's time, or the outcome's. */
  timestamp: number;
  severityNumber: number;
  severityText: keyof typeof SEVERITY;
  body: string;
  attributes: Record<string, string | number | boolean>;
  /** The W3C trace context the client sent with the call, if any. */
  traceparent?: string;
}

function severityOf(status: CallRecord['status']): keyof typeof SEVERITY {
  if (status === 'error') return 'ERROR';
  if (status === 'pending' || status === 'ok') return 'INFO';
  return 'WARN'; // refused: denied, rate_limited, invalid_args, rejected, timed_out
}

/**
 * The log record of `record` (a decision line has status `pending` unless the decision already ended the call; any
 * other status is the call's outcome). `ids`: the gateway that decided, and the record's own unique id.
 */
export function auditLogRecord(
  record: CallRecord,
  ids: { gateway: string; uid: string },
  traceparent?: string,
  line?: LineChain,
): AuditLogRecord {
  const severityText = severityOf(record.status);
  const attributes: AuditLogRecord['attributes'] = {
    // OpenTelemetry's unique id of a log record: the same on every attempt to send it, so a receiver can drop repeats.
    'log.record.uid': ids.uid,
    'gatehouse.gateway': ids.gateway,
    'gatehouse.call.id': record.id,
    'gatehouse.grant': record.grant,
    'gatehouse.session': record.session,
    'gatehouse.server': record.server,
    'gatehouse.tool': record.tool,
    'gatehouse.exposed_name': record.exposedName,
    'gatehouse.decision': record.decision,
    'gatehouse.status': record.status,
    'gatehouse.rule': record.rule,
    'gatehouse.reason': record.reason,
    'gatehouse.policy_version': record.policyVersion,
    'gatehouse.arguments': JSON.stringify(record.arguments ?? {}),
    'gatehouse.args_hash': record.argsHash,
  };
  // The line's place in the log's hash chain: kept here, the trail holds the chain's head (README, "The call log").
  if (line?.hash !== undefined) attributes['gatehouse.log.hash'] = line.hash;
  if (line?.prev !== undefined) attributes['gatehouse.log.prev'] = line.prev;
  if (record.durationMs !== undefined) attributes['gatehouse.duration_ms'] = record.durationMs;
  if (record.error !== undefined) attributes['gatehouse.error'] = record.error;
  if (record.monitor) attributes['gatehouse.monitor'] = true;
  if (record.approval !== undefined) attributes['gatehouse.approval'] = JSON.stringify(record.approval);
  // The record keeps its decision's time; an outcome happened its duration later.
  const decided = Date.parse(record.ts);
  return {
    timestamp: (Number.isNaN(decided) ? Date.now() : decided) + (record.durationMs ?? 0),
    severityNumber: SEVERITY[severityText],
    severityText,
    body: `${record.decision} ${record.server}/${record.tool}: ${record.status}`,
    attributes,
    ...(traceparent !== undefined ? { traceparent } : {}),
  };
}
