// The filters of `GET /api/calls` and of an export: the exact test on a parsed record, and what to look for in a day
// file's raw bytes first, so that only lines that can match are parsed (a search runs at disk speed).
// The byte search relies on how the gateway writes a line: JSON.stringify of the record, so a field reads
// `"server":"fs"` and every string is escaped as JSON escapes it. A line written otherwise (by hand) may be missed by a
// filtered search; it also breaks the log's chain (`gatehouse log verify`).
import type { CallQuery } from '../../../shared/call-query.js';
import type { CallRecord, CallStatus } from '../../../shared/call-record.js';

/** The filters of `GET /api/calls` (and of an export). */
export type CallFilter = Pick<CallQuery, 'tool' | 'server' | 'grant' | 'status' | 'q'>;

export interface FilterPlan {
  /** The exact test, on a record joined with its outcome lines. */
  matches: (record: CallRecord) => boolean;
  /**
   * Byte strings a decision line must hold for its call to match: for each group, one of its strings (the tool
   * filter matches the upstream's or the exposed name). Empty: no such filter.
   */
  needles: Buffer[][];
  /**
   * Finds the text search in a window's bytes read as latin1 (where it can occur in a decision line or an outcome
   * line); undefined when there is no search, or none that bytes can decide (text outside printable ASCII), in which
   * case every line is a candidate.
   */
  search?: RegExp;
}

export function planFilter(query: CallFilter): FilterPlan {
  const tests: ((record: CallRecord) => boolean)[] = [];
  const needles: Buffer[][] = [];
  const [tool, server, grant] = [query.tool?.trim(), query.server?.trim(), query.grant?.trim()];
  if (tool) {
    tests.push((r) => r.tool === tool || r.exposedName === tool);
    needles.push([fieldBytes('tool', tool), fieldBytes('exposedName', tool)]);
  }
  if (server) {
    tests.push((r) => r.server === server);
    needles.push([fieldBytes('server', server)]);
  }
  if (grant) {
    tests.push((r) => r.grant === grant);
    needles.push([fieldBytes('grant', grant)]);
  }
  const statuses = new Set(
    (query.status ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '') as CallStatus[],
  );
  if (statuses.size > 0) tests.push((r) => statuses.has(r.status));
  const q = query.q?.trim().toLowerCase();
  if (q) tests.push((r) => haystackOf(r).includes(q));
  return {
    matches: (record) => tests.every((t) => t(record)),
    needles,
    ...(q && PRINTABLE_ASCII.test(q) ? { search: searchPattern(q) } : {}),
  };
}

function fieldBytes(key: string, value: string): Buffer {
  return Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Characters outside ASCII whose lower case holds an ASCII letter (the Kelvin sign is "k" in lower case, İ is "i̇"):
 * a line holding one is always a candidate, since its bytes cannot show whether it matches. As UTF-8 bytes read as
 * latin1.
 */
export const FOLDS_TO_ASCII = ['\u212a', '\u0130'];

/**
 * The search as bytes can find it: the text itself (as it stands in the arguments' JSON), its JSON-escaped form (as
 * a quote or backslash stands in another field), and the characters of FOLDS_TO_ASCII; ASCII case folded.
 */
function searchPattern(q: string): RegExp {
  const forms = new Set([q, JSON.stringify(q).slice(1, -1)]);
  const latin1 = FOLDS_TO_ASCII.map((c) => Buffer.from(c).toString('latin1'));
  return new RegExp([...forms, ...latin1].map(escapeRegExp).join('|'), 'gi');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text a search looks in, lower-cased: names, grant, reason, rule, error and the arguments' JSON. */
function haystackOf(r: CallRecord): string {
  return [
    r.tool,
    r.server,
    r.exposedName,
    r.grant,
    r.reason,
    r.rule,
    r.error ?? '',
    JSON.stringify(r.arguments) ?? '',
  ]
    .join('\u0000')
    .toLowerCase();
}
