// What one call record may hold: a client sending huge arguments cannot bloat a day file (or the live view's replay
// buffer). A long string keeps a prefix, its length and the sha256 of the whole; a long array or object keeps its
// first items and says how many it left out; nesting deeper than a limit becomes a marker; one budget caps the whole
// value. The record's argsHash is computed elsewhere, over the arguments as received.
import crypto from 'node:crypto';
import { redactString } from './redact.js';
import { setOwn } from './redact.js';

export interface Bounds {
  /** Characters of one string (or object key) kept. */
  maxString: number;
  /** Items of one array, or keys of one object, kept. */
  maxItems: number;
  /** Levels of nesting kept. */
  maxDepth: number;
  /** Roughly the characters of JSON the whole value may take; what does not fit is left out, and says so. */
  budget: number;
}

/** The call log's bounds on a record's arguments: 4 KiB per string, 64 KiB in all. */
export const LOG_BOUNDS: Bounds = { maxString: 4096, maxItems: 1000, maxDepth: 32, budget: 64 * 1024 };

// A prefix is cut after redaction, from a window that ends at whitespace: no cut leaves a token's unredacted head.
const REDACTION_SLACK = 1024;

/** `s` itself when it fits; otherwise its redacted prefix, its length and the sha256 of the whole. */
export function boundString(s: string, maxChars: number): string {
  if (s.length <= maxChars) return s;
  const window = s.slice(0, maxChars + REDACTION_SLACK);
  const atWhitespace = window.replace(/\S+$/, '');
  let prefix = redactString(atWhitespace.length >= maxChars / 2 ? atWhitespace : window).slice(0, maxChars);
  // Never half of a surrogate pair at the cut.
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) prefix = prefix.slice(0, -1);
  const hash = crypto.hash('sha256', s);
  return `${prefix}… [truncated: ${s.length} characters, sha256 ${hash}]`;
}

/**
 * `value` within `bounds`: the same object when it already fits (nothing is copied on the common path), otherwise a
 * copy where each part that did not fit is replaced by a marker saying what was left out.
 */
export function boundValue(value: unknown, bounds: Bounds = LOG_BOUNDS): unknown {
  return new Walk(bounds).value(value, 0);
}

class Walk {
  private spent = 0;

  constructor(private readonly bounds: Bounds) {}

  value(value: unknown, depth: number): unknown {
    if (typeof value === 'string') {
      const out = boundString(value, this.bounds.maxString);
      this.spent += out.length + 2;
      return out;
    }
    if (value === null || typeof value !== 'object') {
      this.spent += 8;
      return value;
    }
    if (depth >= this.bounds.maxDepth) {
      this.spent += 48;
      return `[truncated: nested deeper than ${this.bounds.maxDepth} levels]`;
    }
    this.spent += 2;
    return Array.isArray(value)
      ? this.array(value, depth)
      : this.object(value as Record<string, unknown>, depth);
  }

  private full(): boolean {
    return this.spent >= this.bounds.budget;
  }

  private array(items: unknown[], depth: number): unknown[] {
    let out: unknown[] | undefined;
    const n = items.length;
    for (let i = 0; i < n; i++) {
      if (i >= this.bounds.maxItems || this.full()) {
        out ??= items.slice(0, i);
        out.push(`[truncated: ${n - i} more items]`);
        return out;
      }
      const item = items[i];
      const bounded = this.value(item, depth + 1);
      if (out) out.push(bounded);
      else if (bounded !== item) {
        out = items.slice(0, i);
        out.push(bounded);
      }
    }
    return out ?? items;
  }

  private object(record: Record<string, unknown>, depth: number): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(record);
    const n = keys.length;
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      if (i >= this.bounds.maxItems || this.full()) {
        out ??= copyKeys(record, keys, i);
        setOwn(out, '[truncated]', `${n - i} more keys`);
        return out;
      }
      const child = record[key];
      const boundedKey = boundString(key, this.bounds.maxString);
      this.spent += boundedKey.length + 3;
      const bounded = this.value(child, depth + 1);
      if (out) setOwn(out, boundedKey, bounded);
      else if (bounded !== child || boundedKey !== key) {
        out = copyKeys(record, keys, i);
        setOwn(out, boundedKey, bounded);
      }
    }
    return out ?? record;
  }
}

function copyKeys(record: Record<string, unknown>, keys: string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) setOwn(out, keys[i] as string, record[keys[i] as string]);
  return out;
}
