// Valid policies for the loader fuzz, from a generator (DESIGN.md §4), and the grid of calls they are checked on;
// policy-mutations.ts makes them wrong.
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
