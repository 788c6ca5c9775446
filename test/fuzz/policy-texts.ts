// Policy texts for the loader fuzz: valid policies from a generator (DESIGN.md §4), then mutations of their JSON tree
// (wrong types, unknown and prototype-named keys, huge numbers, odd windows, invalid patterns, deep nesting) and of
// their text (BOM, comments, trailing commas, truncation, stray characters, duplicate keys, non-JSON).
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Sets a key as an own, enumerable property, whatever its name: `__proto__` included (as JSON.parse makes it). */
export function put(object: JsonObject, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function objectOf(entries: [string, Json | undefined][]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) if (value !== undefined) put(out, key, value);
  return out;
}

const ACTIONS = ['allow', 'deny', 'approve'] as const;
const action = fc.constantFrom(...ACTIONS);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** Rule keys and tool names from a small alphabet, so that globs and exact keys often overlap. */
const ruleKey = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc.array(fc.constantFrom('a', 'b', '_', '*', '.'), { minLength: 1, maxLength: 4 }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(['x-a'], ['constructor'], ['toString'], ['*', '*'], ['a', '-', '*']),
    },
  )
  .map((chars) => chars.join(''));

/** Tool names every decision is checked for; `__proto__` and `constructor` test the lookups. */
export const TOOL_GRID = [
  'a',
  'b',
  'ab',
  'ba',
  'aab',
  'a_b',
  'a.b',
  '_',
  'x-a',
  'a-b',
  'constructor',
  'toString',
  '__proto__',
];
export const SERVER_GRID = ['s1', 's2', 'sx'];
export const GRANT_GRID = ['g1', 'g2', 'gx'];
export const ARG_NAMES = ['p', 'q', 'path', 'constructor'];

/** Patterns that mean the same in RE2 and in JavaScript, so a reference can run them with RegExp. */
const PATTERNS = ['a+', '[a-z]*', '.*', '\\d{1,3}', 'x|y', '[^/]+', 'ab?c', ''];

const smallJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;

const argRule: fc.Arbitrary<JsonObject> = fc
  .record(
    {
      pattern: maybe(fc.constantFrom(...PATTERNS)),
      enum: maybe(fc.array(fc.oneof(smallJson, fc.constantFrom<Json>('a', 1, true)), { maxLength: 3 })),
      maxLength: maybe(fc.integer({ min: 0, max: 6 })),
      min: maybe(fc.integer({ min: -5, max: 5 })),
      max: maybe(fc.integer({ min: -5, max: 10 })),
      deny: maybe(fc.boolean()),
      optional: maybe(fc.boolean()),
    },
    { requiredKeys: [] },
  )
  .map((rule) => objectOf(Object.entries(rule) as [string, Json | undefined][]));

const window: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('second', 'minute', 'hour', 'day'),
  fc.integer({ min: 1, max: 1_000_000 }).map((seconds) => ({ seconds })),
);

interface CounterDef {
  window: Json;
  max: number;
  scope: 'global' | 'grant' | 'session' | undefined;
}

const counterDef: fc.Arbitrary<CounterDef> = fc.record({
  window,
  max: fc.integer({ min: 1, max: 1000 }),
  scope: maybe(fc.constantFrom('global' as const, 'grant' as const, 'session' as const)),
});

/** A rule naming counters of one table: rules that share a counter describe it the same way, as they must. */
function ruleArb(counters: Record<string, CounterDef>): fc.Arbitrary<JsonObject> {
  const names = Object.keys(counters);
  const limits =
    names.length === 0
      ? fc.constant([] as Json[])
      : fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 }).map((picked) =>
          picked.map((counter) => {
            const def = counters[counter] as CounterDef;
            return objectOf([
              ['counter', counter],
              ['window', def.window],
              ['max', def.max],
              ['scope', def.scope],
            ]);
          }),
        );
  return fc
    .record(
      {
        action: maybe(action),
        reason: maybe(fc.string({ maxLength: 8 })),
        limits: maybe(limits),
        args: maybe(fc.dictionary(fc.constantFrom(...ARG_NAMES), argRule, { maxKeys: 2 })),
        'x-note': maybe(fc.string({ maxLength: 4 })),
      },
      { requiredKeys: [] },
    )
    .filter((rule) => rule.action !== undefined || rule.limits !== undefined || rule.args !== undefined)
    .map((rule) => objectOf(Object.entries(rule) as [string, Json | undefined][]));
}

function toolsArb(counters: Record<string, CounterDef>): fc.Arbitrary<JsonObject> {
  return fc.dictionary(ruleKey, ruleArb(counters), { maxKeys: 4 });
}

function serverBlockArb(counters: Record<string, CounterDef>): fc.Arbitrary<JsonObject> {
  return fc
    .record(
      {
        default: maybe(action),
        tools: maybe(toolsArb(counters)),
        resources: maybe(action),
        prompts: maybe(action),
        sampling: maybe(action),
      },
      { requiredKeys: [] },
    )
    .map((block) => objectOf(Object.entries(block) as [string, Json | undefined][]));
}

/** A policy that the loader must accept. */
export const validPolicy: fc.Arbitrary<JsonObject> = fc
  .dictionary(fc.constantFrom('c1', 'c2', 'c3'), counterDef, { maxKeys: 3 })
  .chain((counters) =>
    fc.record(
      {
        $schema: maybe(fc.constant('./policy.schema.json')),
        version: fc.constant('1'),
        default: maybe(action),
        approvalTimeoutSeconds: maybe(fc.integer({ min: 1, max: 3600 })),
        tools: maybe(toolsArb(counters)),
        servers: maybe(fc.dictionary(fc.constantFrom('s1', 's2'), serverBlockArb(counters), { maxKeys: 2 })),
        grants: maybe(
          fc.dictionary(
            fc.constantFrom('g1', 'g2'),
            fc
              .record(
                {
                  default: maybe(action),
                  tools: maybe(toolsArb(counters)),
                  servers: maybe(
                    fc.dictionary(fc.constantFrom('s1', 's2'), serverBlockArb(counters), { maxKeys: 2 }),
                  ),
                },
                { requiredKeys: [] },
              )
              .map((g) => objectOf(Object.entries(g) as [string, Json | undefined][])),
            { maxKeys: 2 },
          ),
        ),
        'x-owner': maybe(fc.string({ maxLength: 5 })),
      },
      { requiredKeys: ['version'] },
    ),
  )
  .map((policy) => objectOf(Object.entries(policy) as [string, Json | undefined][]));

/** The deepest nesting the green properties generate; deeper texts are bug 2 of the report (see the test file). */
const SAFE_DEPTH = 400;

function nested(depth: number, leaf: Json, kind: 'array' | 'object'): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : objectOf([['a', value]]);
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

/** Applies mutations to a deep copy of `tree` (a copy that keeps `__proto__` keys as own properties). */
export function mutateTree(tree: Json, mutations: readonly TreeMutation[]): Json {
  const root = copy(tree);
  for (const m of mutations) {
    const all = containers(root);
    const target = all[m.at % all.length];
    if (target === undefined) continue;
    if (Array.isArray(target)) {
      const index = target.length === 0 ? 0 : m.pick % target.length;
      if (m.kind === 'delete') target.splice(index, 1);
      else if (m.kind === 'set') target.splice(index, 0, m.value);
      else target[index] = m.value;
      continue;
    }
    const keys = Object.keys(target);
    const existing = keys.length === 0 ? undefined : keys[m.pick % keys.length];
    if (m.kind === 'set') put(target, m.key, m.value);
    else if (existing !== undefined && m.kind === 'delete') delete target[existing];
    else if (existing !== undefined) put(target, existing, m.value);
  }
  return root;
}

function copy(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy);
  return objectOf(Object.entries(value).map(([k, v]) => [k, copy(v)]));
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
