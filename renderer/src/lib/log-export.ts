// The call log's chain state in words, and the file name of an export of the live calls.
import type { GatehouseApi } from '../../../shared/api/operations';
import type { LogHead } from '../../../shared/call-record';
import { toCallQuery, type CallFilters } from './call-filters';

export type ExportFormat = 'csv' | 'jsonl';

/** A hash as `3f2a…9c`: enough to compare by eye; the full hash stays in a title. */
export function shortHash(hash: string): string {
  return hash.length <= 8 ? hash : `${hash.slice(0, 4)}…${hash.slice(-2)}`;
}

export interface ChainStatus {
  ok: boolean;
  text: string;
}

/**
 * The sentence for the view's header: intact with its head, or broken with the first problem. The head is of the
 * newest day file (UTC): "today" when it is `now`'s, else that day.
 */
export function chainStatus(head: LogHead, now = new Date()): ChainStatus {
  if (!head.ok)
    return { ok: false, text: `The call log's chain is broken: ${head.problem ?? 'unknown problem'}` };
  if (!head.head) return { ok: true, text: 'Log chain intact — no records today' };
  const n = head.records;
  const when =
    head.day === undefined || head.day === now.toISOString().slice(0, 10) ? 'today' : `on ${head.day}`;
  const records = `${n.toLocaleString('en-US')} record${n === 1 ? '' : 's'} ${when}`;
  return { ok: true, text: `Log chain intact — head ${shortHash(head.head)} (${records})` };
}

/** `gatehouse-calls-2026-12-07.csv`, the UTC day of `now`. */
export function exportFileName(format: ExportFormat, now: Date): string {
  return `gatehouse-calls-${now.toISOString().slice(0, 10)}.${format}`;
}

/** The export query of the same filters the view lists calls with. */
export function toExportQuery(
  filters: CallFilters,
  format: ExportFormat,
): Parameters<GatehouseApi['exportCalls']>[0] {
  const { limit: _limit, before: _before, ...fields } = toCallQuery(filters, 1);
  return { ...fields, format };
}

/** What a truncated export holds, next to its button. */
export function truncatedNote(calls: number): string {
  return `first ${calls.toLocaleString('en-US')} calls only: use gatehouse log export for all`;
}
