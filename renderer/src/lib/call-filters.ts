// The live-calls filters: the same meaning as GET /api/calls (status, server, tool, grant, q), so the first page can
// be asked of the gateway and every live event is checked here before it joins the list.
import type { CallQueryInput } from '../../../shared/call-query';
import type { CallRecord } from '../../../shared/call-record';
import { statusesOf } from './call-status';

export interface CallFilters {
  /** A value of STATUS_FILTERS ('' = any). */
  status: string;
  server: string;
  tool: string;
  /** The client: its grant's name. */
  grant: string;
  /** Free text. */
  q: string;
}

export const NO_FILTERS: CallFilters = { status: '', server: '', tool: '', grant: '', q: '' };

export function hasFilters(filters: CallFilters): boolean {
  return Object.values(filters).some((v) => v.trim() !== '');
}

/** The query of the gateway's call log for these filters. */
export function toCallQuery(filters: CallFilters, limit: number, before?: string): CallQueryInput {
  const query: CallQueryInput = { limit };
  const statuses = statusesOf(filters.status);
  if (statuses.length > 0) query.status = statuses.join(',');
  if (filters.server.trim()) query.server = filters.server.trim();
  if (filters.tool.trim()) query.tool = filters.tool.trim();
  if (filters.grant.trim()) query.grant = filters.grant.trim();
  if (filters.q.trim()) query.q = filters.q.trim();
  if (before) query.before = before;
  return query;
}

function argumentsText(call: CallRecord): string {
  try {
    return JSON.stringify(call.arguments) ?? '';
  } catch {
    return '';
  }
}

/** Whether a call matches the filters, as the gateway's query would decide it. */
export function matchesFilters(call: CallRecord, filters: CallFilters): boolean {
  const statuses = statusesOf(filters.status);
  if (statuses.length > 0 && !statuses.includes(call.status)) return false;
  const server = filters.server.trim();
  if (server && call.server !== server) return false;
  const tool = filters.tool.trim();
  if (tool && call.tool !== tool && call.exposedName !== tool) return false;
  const grant = filters.grant.trim();
  if (grant && call.grant !== grant) return false;
  const q = filters.q.trim().toLowerCase();
  if (q) {
    const haystack = [
      call.tool,
      call.server,
      call.exposedName,
      call.grant,
      call.reason,
      call.rule,
      call.error ?? '',
      argumentsText(call),
    ];
    if (!haystack.some((text) => text.toLowerCase().includes(q))) return false;
  }
  return true;
}
