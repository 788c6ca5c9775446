// The filters of `GET /api/calls` and of an export: the exact test on a parsed record, and what to look for in a day
// file's raw bytes first, so that only lines that can match are parsed (a search runs at disk speed), and in a day's
// search index (day-index.ts), so that a day that cannot match is not read at all.
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

/** Byte strings of which a matching call's lines hold at least one (`folds`: or a character of FOLDS_TO_ASCII). */
export interface LiteralGroup {
  any: Buffer[];
  folds: boolean;
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
  /** The needles and patterns as literal bytes, for a day's search index: every group must be there. */
  literals: LiteralGroup[];
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Characters outside ASCII whose lower case holds an ASCII letter (the Kelvin sign is "k" in lower case, İ is "i̇"):
 * a line holding one is always a candidate for a text search, since its bytes cannot show whether it matches.
 */
const FOLDS_TO_ASCII = ['\u212a', '\u0130'];

export function planFilter(query: CallFilter): FilterPlan {
  const tests: ((record: CallRecord) => boolean)[] = [];
  const plan: FilterPlan = {
    matches: (r) => tests.every((t) => t(r)),
    needles: [],
    patterns: [],
    literals: [],
  };
  /** A field filter: a decision line holds one of these fields with the value. */
  const field = (value: string, keys: string[]) => {
    const forms = keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
    plan.needles.push(forms.map((form) => new RegExp(escapeRegExp(latin1(form)), 'g')));
    plan.literals.push({ any: forms.map((form) => Buffer.from(form)), folds: false });
  };
  const [tool, server, grant] = [query.tool?.trim(), query.server?.trim(), query.grant?.trim()];
  if (tool) {
    tests.push((r) => r.tool === tool || r.exposedName === tool);
    field(tool, ['tool', 'exposedName']);
  }
  if (server) {
    tests.push((r) => r.server === server);
    field(server, ['server']);
  }
  if (grant) {
    tests.push((r) => r.grant === grant);
    field(grant, ['grant']);
  }
  const q = query.q?.trim().toLowerCase();
  if (q) {
    tests.push((r) => haystackOf(r).includes(q));
    if (PRINTABLE_ASCII.test(q)) {
      // As it stands in the arguments' JSON, and JSON-escaped as a quote or backslash stands in another field;
      // ASCII case folded.
      const forms = [...new Set([q, JSON.stringify(q).slice(1, -1)])];
      plan.patterns.push({
        regex: new RegExp(forms.map(escapeRegExp).join('|'), 'gi'),
        also: FOLDS_TO_ASCII.map((c) => Buffer.from(c)),
      });
      plan.literals.push({ any: forms.map((form) => Buffer.from(form)), folds: true });
    }
  }
  const statuses = [
    ...new Set(
      (query.status ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '') as CallStatus[],
    ),
  ];
  if (statuses.length > 0) {
    tests.push((r) => statuses.includes(r.status));
    plan.patterns.push({ regex: new RegExp(`"status":"(?:${statuses.join('|')})"`, 'g'), also: [] });
    plan.literals.push({ any: statuses.map((status) => Buffer.from(`"status":"${status}"`)), folds: false });
  }
  return plan;
}

function latin1(text: string): string {
  return Buffer.from(text).toString('latin1');
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
