// The filters of `GET /api/calls` and of an export: the exact test on a parsed record, and what to look for in a day
// file's raw bytes first, so that only lines that can match are parsed (a search runs at disk speed).
// The byte search relies on how the gateway writes a line: JSON.stringify of the record, so a field reads
// `"server":"fs"` and every string is escaped as JSON escapes it. A line written otherwise (by hand) may be missed by a
// filtered search; it also breaks the log's chain (`gatehouse log verify`).
import type { CallQuery } from '../../../shared/call-query.js';
import type { CallRecord, CallStatus } from '../../../shared/call-record.js';

/** The filters of `GET /api/calls` (and of an export). */
export type CallFilter = Pick<CallQuery, 'tool' | 'server' | 'grant' | 'status' | 'q'>;

/** What may match in a decision line or in one of its outcome lines (a text search, a status). */
export interface LinePattern {
  /** Over a window's bytes read as latin1; global. */
  regex: RegExp;
  /** Byte strings that make a line a candidate too (bytes that cannot show whether the line matches). */
  also: Buffer[];
}

export interface FilterPlan {
  /** The exact test, on a record joined with its outcome lines. */
  matches: (record: CallRecord) => boolean;
  /**
   * What a decision line must hold for its call to match: for each group, one of its patterns — a field filter's
   * `"server":"fs"` (the tool filter's the upstream's or the exposed name), each a literal over a window's bytes read
   * as latin1, global (one literal each: a search for one runs faster than for an alternation). Empty: none.
   */
  needles: RegExp[][];
  /**
   * Patterns a matching call's decision line or outcome lines hold, the most selective first (a text search, then a
   * status). A text search outside printable ASCII has none: bytes cannot decide it, so every line is a candidate.
   */
  patterns: LinePattern[];
}

export function planFilter(query: CallFilter): FilterPlan {
  const tests: ((record: CallRecord) => boolean)[] = [];
  const needles: RegExp[][] = [];
  const patterns: LinePattern[] = [];
  const [tool, server, grant] = [query.tool?.trim(), query.server?.trim(), query.grant?.trim()];
  if (tool) {
    tests.push((r) => r.tool === tool || r.exposedName === tool);
    needles.push(
      fieldPattern([
        ['tool', tool],
        ['exposedName', tool],
      ]),
    );
  }
  if (server) {
    tests.push((r) => r.server === server);
    needles.push(fieldPattern([['server', server]]));
  }
  if (grant) {
    tests.push((r) => r.grant === grant);
    needles.push(fieldPattern([['grant', grant]]));
  }
  const q = query.q?.trim().toLowerCase();
  if (q) {
    tests.push((r) => haystackOf(r).includes(q));
    if (PRINTABLE_ASCII.test(q)) patterns.push(searchPattern(q));
  }
  const statuses = new Set(
    (query.status ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '') as CallStatus[],
  );
  if (statuses.size > 0) {
    tests.push((r) => statuses.has(r.status));
    patterns.push({ regex: new RegExp(`"status":"(?:${[...statuses].join('|')})"`, 'g'), also: [] });
  }
  return { matches: (record) => tests.every((t) => t(record)), needles, patterns };
}

/** Any of the fields with its value, as the line's bytes read as latin1 hold it. */
function fieldPattern(fields: [string, string][]): RegExp[] {
  return fields.map(
    ([key, value]) =>
      new RegExp(escapeRegExp(latin1(`${JSON.stringify(key)}:${JSON.stringify(value)}`)), 'g'),
  );
}

function latin1(text: string): string {
  return Buffer.from(text).toString('latin1');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Characters outside ASCII whose lower case holds an ASCII letter (the Kelvin sign is "k" in lower case, İ is "i̇"):
 * a line holding one is always a candidate, since its bytes cannot show whether it matches.
 */
const FOLDS_TO_ASCII = ['\u212a', '\u0130'];

/**
 * The search as bytes can find it: the text itself (as it stands in the arguments' JSON) or its JSON-escaped form (as
 * a quote or backslash stands in another field), ASCII case folded; and the characters of FOLDS_TO_ASCII.
 */
function searchPattern(q: string): LinePattern {
  const forms = new Set([q, JSON.stringify(q).slice(1, -1)]);
  return {
    regex: new RegExp([...forms].map(escapeRegExp).join('|'), 'gi'),
    also: FOLDS_TO_ASCII.map((c) => Buffer.from(c)),
  };
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
