// Mutations of policies for the loader fuzz: of their JSON tree (wrong types, unknown and prototype-named keys, huge
// numbers, odd windows, invalid patterns, deep nesting) and of their text (BOM, comments, trailing commas, truncation,
// stray characters, duplicate keys, non-JSON).
import fc from 'fast-check';
import { put, type Json } from './policy-texts.js';

type JsonObject = { [key: string]: Json };

const smallJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;

/** The deepest nesting generated: far past the loader's limit of 64 levels (bug 2 of the report, fixed), and within
 * what the test's own recursive copies and fast-check's reports can handle. */
const SAFE_DEPTH = 1_000;

function nested(depth: number, leaf: Json, kind: 'array' | 'object'): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** Values that are wrong somewhere, or right in an unexpected place. */
const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    -0,
    '',
    ' ',
    'allow',
    'deny',
    'approve',
    'Allow',
    'DENY',
    'minute',
    'Minute',
    'week',
    '1',
    '*',
    '\u0000',
    '\ud800',
    '(',
    '(?=a)',
    '\\1',
    '[z-a]',
    'a{1001}',
    '(?P<n>a)',
    [],
    {},
    [[]],
    { seconds: 0 },
    { seconds: -1 },
    { seconds: 1.5 },
    { seconds: 1e300 },
    { seconds: '60' },
    { minutes: 1 },
    { counter: 'c1', window: 'minute', max: 1 },
    { action: 'deny' },
    { action: 'allow' },
  ),
  smallJson,
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.integer({ min: 1, max: SAFE_DEPTH }).map((depth) => nested(depth, 1, 'array')),
  fc.integer({ min: 1, max: SAFE_DEPTH }).map((depth) => nested(depth, 'deny', 'object')),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Keys that are unknown, prototype-named, or known keys in the wrong place. */
const KEY_NAMES = [
  'action',
  'default',
  'tools',
  'servers',
  'grants',
  'limits',
  'args',
  'window',
  'max',
  'seconds',
  'counter',
  'scope',
  'pattern',
  'deny',
  'version',
  'unknown',
  'x-',
  'x-ok',
  'X-upper',
  '',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$schema',
  'a',
  '*',
];

export interface TreeMutation {
  kind: 'set' | 'delete' | 'replace';
  /** Picks a container (object or array) of the tree, modulo their count. */
  at: number;
  /** Picks a key of that container, modulo their count. */
  pick: number;
  key: string;
  value: Json;
}

/** `protoKeys`: whether a set may use `__proto__` (bug 1 of the report: kept out of the green properties). */
export function treeMutation(protoKeys: boolean): fc.Arbitrary<TreeMutation> {
  const keys = protoKeys ? [...KEY_NAMES, '__proto__'] : KEY_NAMES;
  return fc.record({
    kind: fc.constantFrom('set' as const, 'delete' as const, 'replace' as const),
    at: fc.nat(),
    pick: fc.nat(),
    key: fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })),
    value: junk,
  });
}

function containers(value: Json, found: (Json[] | JsonObject)[] = []): (Json[] | JsonObject)[] {
  if (value === null || typeof value !== 'object') return found;
  found.push(value);
  for (const child of Array.isArray(value) ? value : Object.values(value)) containers(child, found);
  return found;
}

/** Applies mutations to a deep copy of `tree` (a copy that keeps `__proto__` keys as own properties). Values are
 * copied in too: a generated constant is shared between runs, and a later mutation must never change it. */
export function mutateTree(tree: Json, mutations: readonly TreeMutation[]): Json {
  const root = copy(tree);
  for (const m of mutations) {
    const all = containers(root);
    const target = all[m.at % all.length];
    if (target === undefined) continue;
    if (Array.isArray(target)) {
      const index = target.length === 0 ? 0 : m.pick % target.length;
      if (m.kind === 'delete') target.splice(index, 1);
      else if (m.kind === 'set') target.splice(index, 0, copy(m.value));
      else target[index] = copy(m.value);
      continue;
    }
    const keys = Object.keys(target);
    const existing = keys.length === 0 ? undefined : keys[m.pick % keys.length];
    if (m.kind === 'set') put(target, m.key, copy(m.value));
    else if (existing !== undefined && m.kind === 'delete') delete target[existing];
    else if (existing !== undefined) put(target, existing, copy(m.value));
  }
  return root;
}

function copy(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) put(out, k, copy(v));
  return out;
}

export interface TextMutation {
  kind:
    | 'bom'
    | 'line-comment'
    | 'block-comment'
    | 'trailing-comma'
    | 'truncate'
    | 'insert'
    | 'delete'
    | 'duplicate-key'
    | 'huge-number'
    | 'yaml'
    | 'empty'
    | 'deep';
  at: number;
  text: string;
  depth: number;
}

export const textMutation: fc.Arbitrary<TextMutation> = fc.record({
  kind: fc.constantFrom(
    'bom' as const,
    'line-comment' as const,
    'block-comment' as const,
    'trailing-comma' as const,
    'truncate' as const,
    'insert' as const,
    'delete' as const,
    'duplicate-key' as const,
    'huge-number' as const,
    'yaml' as const,
    'empty' as const,
    'deep' as const,
  ),
  at: fc.nat(),
  text: fc.oneof(
    fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', '\uFEFF', '\ud800', 'NaN', '//'),
    fc.string({ maxLength: 4 }),
  ),
  depth: fc.integer({ min: 1, max: SAFE_DEPTH }),
});

export function mutateText(text: string, m: TextMutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'bom':
      return `\uFEFF${text}`;
    case 'line-comment':
      return `${text.slice(0, at)}// ${m.text}\n${text.slice(at)}`;
    case 'block-comment':
      return `${text.slice(0, at)}/* ${m.text} */${text.slice(at)}`;
    case 'trailing-comma': {
      const close = text.lastIndexOf('}');
      return close < 0 ? `${text},` : `${text.slice(0, close)},${text.slice(close)}`;
    }
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return `${text.slice(0, at)}${m.text}${text.slice(at)}`;
    case 'delete':
      return `${text.slice(0, at)}${text.slice(at + 1 + (m.at % 3))}`;
    case 'duplicate-key': {
      const open = text.indexOf('{');
      return open < 0 ? text : `${text.slice(0, open + 1)}"version":"1",${text.slice(open + 1)}`;
    }
    case 'huge-number':
      return text.replace(/\d+/, ['1e999', '-1e999', '9'.repeat(400), '1e-999', '0.0000'][m.at % 5] ?? '1');
    case 'yaml':
      return `version: "1"\ndefault: deny\n${m.text}`;
    case 'empty':
      return ['', ' ', '\n', '\uFEFF', 'null', '[]', '"1"', '1', 'true'][m.at % 9] ?? '';
    case 'deep': {
      const open = text.indexOf('{');
      const deep = `${'['.repeat(m.depth)}${']'.repeat(m.depth)}`;
      return open < 0 ? deep : `${text.slice(0, open + 1)}"x-deep":${deep},${text.slice(open + 1)}`;
    }
  }
}

/** JSON text in one of the ways people write it. */
export function serialize(value: Json, style: number): string {
  switch (style % 3) {
    case 0:
      return JSON.stringify(value);
    case 1:
      return JSON.stringify(value, null, 2);
    default:
      return `${JSON.stringify(value, null, '\t')}\n`;
  }
}
