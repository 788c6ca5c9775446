// MCP request bodies for the front-door fuzz: calls of allowed, denied and unknown tools with odd arguments,
// other methods, batches, truncated, deeply nested and oversize JSON, random bytes, and `__proto__` keys.
import fc from 'fast-check';
import { put, type Json } from './policy-texts.js';

export type Body =
  | { kind: 'none' }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'text'; text: string }
  | { kind: 'huge' }
  | { kind: 'deep'; depth: number; where: 'root' | 'arguments' | 'params' };

/** How deep generated arguments nest: far past the gateway's limit of 64 levels (bug 3, fixed: refused and recorded). */
const SAFE_ARGUMENT_DEPTH = 10_000;

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** Exposed tool names: allowed, denied (get-env, gzip-*), unknown, near misses and prototype names. */
const TOOL_NAMES = [
  'ev__echo',
  'ev__get-sum',
  'ev__get-env',
  'ev__gzip-file-as-resource',
  'ev__get-tiny-image',
  'ev__get-structured-content',
  'echo',
  'get-env',
  'get-sum',
  'EV__get-env',
  'ev__GET-ENV',
  'ev__get-env ',
  ' ev__get-env',
  'ev__get-env\u0000',
  'ev__get_env',
  'ev__get%2Denv',
  'ev___get-env',
  'ev__',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
];

const METHOD_NAMES = [
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'tasks/get',
  'tasks/list',
  'tasks/result',
  'tasks/cancel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
  'sampling/createMessage',
  'roots/list',
  '__proto__',
  'constructor',
];

const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** An object whose keys may be `__proto__` (own keys, as JSON.parse makes them). */
export const protoObject: fc.Arbitrary<Json> = fc
  .array(
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'message', 'a', 'b', 'name', 'toString'), json),
    {
      maxLength: 4,
    },
  )
  .map((entries) => {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of entries) put(out, key, value);
    return out;
  });

const toolArguments: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ message: fc.oneof(fc.string({ maxLength: 30 }), json) }),
  fc.record({ a: fc.oneof(fc.integer(), json), b: fc.oneof(fc.double(), json) }),
  protoObject,
  fc.dictionary(fc.string({ maxLength: 5 }), json, { maxKeys: 4 }),
  json,
);

/** Mostly valid ids (so that most messages reach their route), sometimes ones the spec forbids. */
const requestId = fc.oneof(
  { weight: 8, arbitrary: fc.integer() },
  { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, 0, -1, 1.5, '', {}, [], true, 2 ** 60) },
);

function withProto(params: { [key: string]: Json }, moved: string | undefined): Json {
  if (moved === undefined || !(moved in params)) return params;
  // The field is moved into an own `__proto__` object: code that copies with Object.assign would find it there.
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(params)) if (key !== moved) out[key] = value;
  put(out, '__proto__', { [moved]: params[moved] as Json });
  return out;
}

export const toolsCall: fc.Arbitrary<Json> = fc
  .record({
    id: requestId,
    name: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...TOOL_NAMES.slice(0, 9)) },
      { weight: 3, arbitrary: fc.constantFrom(...TOOL_NAMES) },
      { weight: 1, arbitrary: fc.string() },
    ),
    arguments: maybe(toolArguments),
    progress: fc.boolean(),
    task: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
    moved: fc.oneof(
      { weight: 8, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('name', 'arguments') },
    ),
  })
  .map(({ id, name, arguments: args, progress, task, moved }) => {
    const params: { [key: string]: Json } = { name };
    if (args !== undefined) params.arguments = args;
    if (progress) params._meta = { progressToken: `p-${String(id)}` };
    if (task) params.task = { ttl: 5000 };
    return { jsonrpc: '2.0', id, method: 'tools/call', params: withProto(params, moved) };
  });

export const message: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: toolsCall },
  {
    weight: 3,
    arbitrary: fc
      .record(
        {
          jsonrpc: fc.oneof(
            { weight: 6, arbitrary: fc.constant<Json>('2.0') },
            fc.constantFrom<Json>('1.0', 2, null),
          ),
          id: requestId,
          method: fc.oneof(fc.constantFrom(...METHOD_NAMES), fc.string({ maxLength: 12 })),
          params: fc.oneof(json, protoObject),
        },
        { requiredKeys: ['jsonrpc'] },
      )
      .map((m) => m as Json),
  },
  { weight: 1, arbitrary: json },
);

export const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 2,
    arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
  },
  { weight: 10, arbitrary: message.map((m) => ({ kind: 'text' as const, text: JSON.stringify(m) })) },
  {
    weight: 3,
    arbitrary: fc
      .array(message, { maxLength: 6 })
      .map((batch) => ({ kind: 'text' as const, text: JSON.stringify(batch) })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(message, fc.nat()).map(([m, cut]) => {
      const text = JSON.stringify(m);
      return { kind: 'text' as const, text: text.slice(0, cut % (text.length + 1)) };
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '',
        'null',
        '[]',
        '{}',
        '"x"',
        '1e999',
        '[[[[',
        '\uFEFF{"jsonrpc":"2.0","id":1,"method":"ping"}',
        `[${Array.from({ length: 101 }, (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"ping"}`).join(',')}]`,
        '{"jsonrpc":"2.0","id":1,"method":"ping","id":2}',
      )
      .map((text) => ({ kind: 'text' as const, text })),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.record({
        kind: fc.constant('deep' as const),
        depth: fc.constantFrom(10, 1000, 10_000, 100_000, 1_000_000),
        where: fc.constantFrom('root' as const, 'params' as const),
      }),
      // Deeper arguments are bug 3 of the report (a reproduction in http-front.test.ts).
      fc.record({
        kind: fc.constant('deep' as const),
        depth: fc.integer({ min: 1, max: SAFE_ARGUMENT_DEPTH }),
        where: fc.constant('arguments' as const),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) },
);

const HUGE = Buffer.from(
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'ping',
    params: { pad: 'x'.repeat(4 * 1024 * 1024 + 10) },
  }),
);

/** A body with `depth` nested arrays: the whole body, a tools/list cursor, or an argument of a call of `tool`. */
export function deepText(depth: number, where: 'root' | 'arguments' | 'params', tool = 'ev__echo'): string {
  const nest = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (where === 'root') return nest;
  if (where === 'params') return `{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":${nest}}}`;
  return `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"${tool}","arguments":{"message":"deep","n":${nest}}}}`;
}

export function bodyBytes(b: Body): Buffer | undefined {
  switch (b.kind) {
    case 'none':
      return undefined;
    case 'bytes':
      return Buffer.from(b.bytes);
    case 'text':
      return Buffer.from(b.text, 'utf8');
    case 'huge':
      return HUGE;
    case 'deep':
      return Buffer.from(deepText(b.depth, b.where));
  }
}
