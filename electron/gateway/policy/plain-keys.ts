// Keys of policy.json that JavaScript treats specially — `__proto__` above all: zod drops it from every object and
// record it parses, and assigning it sets an object's prototype — stay plain keys here. Before the schema sees the
// policy, such a key is renamed to a stand-in no file can contain; after, it is put back as an own property. So a
// rule keyed `__proto__` applies to a tool of that name, and an unknown top-level `__proto__` is reported like any
// other unknown key.

/** The stand-in: a NUL cannot appear in a tool name, and a key holding it is refused before it gets here. */
const PROTO_STAND_IN = '\u0000__proto__';

/** The value with every own `__proto__` key renamed to the stand-in (a deep copy of what it changes). */
export function escapeProtoKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(escapeProtoKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key === '__proto__' ? PROTO_STAND_IN : key] = escapeProtoKeys(v);
  return out;
}

/** The parsed value with the stand-in turned back into an own `__proto__` property. */
export function restoreProtoKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(restoreProtoKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    Object.defineProperty(out, key === PROTO_STAND_IN ? '__proto__' : key, {
      value: restoreProtoKeys(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}

/** A path of the escaped value as the file writes it. */
export function plainPath(path: readonly PropertyKey[]): PropertyKey[] {
  return path.map((part) => (part === PROTO_STAND_IN ? '__proto__' : part));
}

/** Whether any key of the value contains a NUL (only a hostile file has one; the stand-in relies on it). */
export function hasNulKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNulKey);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, v]) => key.includes('\u0000') || hasNulKey(v));
}

/**
 * The offset of the first bracket that opens deeper than `max` levels, or undefined. Read before parsing, because the
 * JSON parser recurses: a file nested a hundred thousand deep would otherwise throw instead of being refused.
 */
export function tooDeepAt(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}
