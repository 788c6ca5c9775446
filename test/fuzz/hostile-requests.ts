// Hostile HTTP requests for the front-door fuzz: a request is generated as a recipe (symbolic choices such as "the
// admin token" or "a live session"), made concrete against a running gateway, and sent with a deadline.
import http from 'node:http';
import fc from 'fast-check';
import { put, type Json } from './policy-texts.js';

type Choice<T extends string> = T | { raw: string };

export interface Recipe {
  method: string;
  path: string;
  host: Choice<'ip' | 'localhost' | 'v6' | 'ip-no-port' | 'foreign' | 'absent'>;
  origin: Choice<'absent' | 'own' | 'foreign' | 'null' | 'other-port'>;
  auth: Choice<
    | 'grant'
    | 'other-grant'
    | 'admin'
    | 'admin-lowercase'
    | 'admin-suffix'
    | 'admin-cut'
    | 'admin-twice'
    | 'admin-upper'
    | 'wrong'
    | 'absent'
    | 'lowercase'
    | 'basic'
    | 'empty-bearer'
  >;
  session: Choice<'absent' | 'live' | 'scoped' | 'foreign' | 'unknown' | 'empty'>;
  version?: string;
  contentType?: string;
  accept?: string;
  scope?: string;
  grantHeader?: string;
  body: Body;
}

type Body =
  | { kind: 'none' }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'text'; text: string }
  | { kind: 'huge' }
  | { kind: 'deep'; depth: number; where: 'root' | 'arguments' | 'params' };

/** Printable header text (what Node's client lets through): spaces, ASCII and Latin-1 letters. */
const headerText = fc
  .array(
    fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(0x09)),
    { maxLength: 40 },
  )
  .map((codes) => String.fromCharCode(...codes));

/** Arguments nested deeper than this make the gateway overflow its stack (bug 3); the green property stays below. */
const SAFE_ARGUMENT_DEPTH = 1000;

const raw = headerText.map((text) => ({ raw: text }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'FOO'];
const MCP_PATHS = [
  '/mcp',
  '/mcp/',
  '/MCP',
  '/mcp?x=1',
  '//mcp',
  '/./mcp',
  '/mcp/../mcp',
  '/%6dcp',
  '/mcp;a',
  '/mcp%00',
];
const API_PATHS = [
  '/api/approvals',
  '/api/approvals/abc',
  '/api/calls',
  '/api/calls?limit=abc&before=x&q=%00&status=ok',
  '/api/calls?limit=-1',
  '/api/policy',
  '/api/tools',
  '/api/servers',
  '/api/servers/ev',
  '/api/servers/ev/restart',
  '/api/servers/__proto__',
  '/api/servers/constructor',
  '/api/grants/constructor',
  '/api/grants',
  '/api/grants/fuzz',
  '/api/pause',
  '/api/settings',
  '/api/login',
  '/api/login-codes',
  '/api/events',
  '/api/health',
  '/api/metrics',
  '/API/servers',
  '/api/servers/',
  '/api//servers',
  '/api/%2e%2e/servers',
  '/api/servers/..%2fpolicy',
  '/api/nope',
  '/api',
  '/',
  '/index.html',
  '/..%2f..%2fetc/passwd',
];

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
const protoObject: fc.Arbitrary<Json> = fc
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

const toolsCall: fc.Arbitrary<Json> = fc
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

const message: fc.Arbitrary<Json> = fc.oneof(
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

const body: fc.Arbitrary<Body> = fc.oneof(
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

const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '1999-01-01', ''];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/jsonx',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
];
const ACCEPTS = ['application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*', ''];

/** Bodies of the usual recipe: mostly calls, alone or in batches, so that most requests reach the policy gate. */
const usualBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 6, arbitrary: toolsCall.map((m) => ({ kind: 'text' as const, text: JSON.stringify(m) })) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof({ weight: 3, arbitrary: toolsCall }, message), { minLength: 1, maxLength: 5 })
      .map((batch) => ({ kind: 'text' as const, text: JSON.stringify(batch) })),
  },
  { weight: 2, arbitrary: body },
);

/** Mostly well-formed headers, so that requests reach the sessions and the policy gate. */
const usualRecipe: fc.Arbitrary<Recipe> = fc
  .record({
    method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'DELETE')),
    path: fc.constant('/mcp'),
    host: fc.oneof(
      { weight: 8, arbitrary: fc.constant('ip' as const) },
      { weight: 1, arbitrary: fc.constantFrom('localhost' as const, 'v6' as const, 'foreign' as const) },
    ),
    origin: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('absent' as const, 'absent' as const, 'own' as const) },
      { weight: 1, arbitrary: fc.constantFrom('foreign' as const, 'null' as const, 'other-port' as const) },
    ),
    auth: fc.constantFrom('grant' as const, 'grant' as const, 'grant' as const, 'other-grant' as const),
    session: fc.constantFrom(
      'live' as const,
      'live' as const,
      'live' as const,
      'scoped' as const,
      'absent' as const,
    ),
    version: maybe(fc.constantFrom('2025-06-18', '2025-03-26')),
    contentType: fc.constant('application/json'),
    accept: fc.constant('application/json, text/event-stream'),
    body: usualBody,
  })
  // A scoped session is used with its header here; the hostile recipe may leave it out.
  .map((r) => (r.session === 'scoped' ? { ...r, scope: 'ev' } : r));

/** Bodies for the control API: what its routes take, and what would change the gateway were it accepted. */
const controlBody: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom<Json>(
        { paused: true },
        { decision: 'approve', remember: 'always' },
        { name: 'fz', config: { command: process.execPath, args: ['-e', '0'] } },
        { name: 'evil' },
        { code: 'x' },
        { code: '' },
        { set: [{ path: ['tools', 'get-env'], value: { action: 'allow' } }] },
        { logArgumentValues: false, pauseMode: 'deny' },
      )
      .map((value) => ({ kind: 'text' as const, text: JSON.stringify(value) })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'text' as const, text: '{"version":"1","default":"allow"}' }) },
  {
    weight: 1,
    arbitrary: protoObject.map((value) => ({ kind: 'text' as const, text: JSON.stringify(value) })),
  },
  { weight: 2, arbitrary: body },
);

/**
 * The control API with mostly valid Host and Origin: the admin token (GET and HEAD only, see `recipe`), tokens that
 * nearly are it, grant tokens and none.
 */
const controlRecipe: fc.Arbitrary<Recipe> = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
  path: fc.constantFrom(...API_PATHS),
  host: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('ip' as const, 'localhost' as const) },
    { weight: 1, arbitrary: fc.constantFrom('foreign' as const, 'ip-no-port' as const) },
  ),
  origin: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('absent' as const, 'own' as const) },
    { weight: 1, arbitrary: fc.constantFrom('foreign' as const, 'null' as const, 'other-port' as const) },
  ),
  auth: fc.constantFrom(
    'admin' as const,
    'admin' as const,
    'admin-lowercase' as const,
    'admin-suffix' as const,
    'admin-cut' as const,
    'admin-twice' as const,
    'admin-upper' as const,
    'grant' as const,
    'absent' as const,
    'wrong' as const,
  ),
  session: fc.constant('absent' as const),
  contentType: maybe(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded')),
  body: controlBody,
});

/** Anything goes, in every header. */
const hostileRecipe: fc.Arbitrary<Recipe> = fc.record({
  method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...METHODS) }, fc.stringMatching(/^[A-Z]{1,8}$/)),
  path: fc.oneof(fc.constantFrom(...MCP_PATHS), fc.constantFrom(...API_PATHS)),
  host: fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom('ip' as const, 'localhost' as const, 'v6' as const, 'ip-no-port' as const),
    },
    { weight: 1, arbitrary: fc.constantFrom('foreign' as const, 'absent' as const) },
    { weight: 1, arbitrary: raw },
  ),
  origin: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('absent' as const, 'own' as const) },
    { weight: 1, arbitrary: fc.constantFrom('foreign' as const, 'null' as const, 'other-port' as const) },
    { weight: 1, arbitrary: raw },
  ),
  auth: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        'grant' as const,
        'other-grant' as const,
        'admin' as const,
        'admin-suffix' as const,
        'wrong' as const,
        'absent' as const,
        'lowercase' as const,
        'basic' as const,
        'empty-bearer' as const,
      ),
    },
    { weight: 1, arbitrary: raw },
  ),
  session: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        'absent' as const,
        'live' as const,
        'scoped' as const,
        'foreign' as const,
        'unknown' as const,
        'empty' as const,
      ),
    },
    { weight: 1, arbitrary: raw },
  ),
  version: maybe(fc.oneof(fc.constantFrom(...PROTOCOL_VERSIONS), headerText)),
  contentType: maybe(fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerText)),
  accept: maybe(fc.oneof(fc.constantFrom(...ACCEPTS), headerText)),
  scope: maybe(fc.oneof(fc.constantFrom('ev', 'nope', '', '__proto__'), headerText)),
  grantHeader: maybe(fc.oneof(fc.constantFrom('fuzz', 'other', 'nope', '', '__proto__'), headerText)),
  body,
});

/** The /mcp endpoint as the gateway routes it (any case, an optional trailing slash, a query). */
export function isMcpPath(path: string): boolean {
  return /^\/mcp\/?(\?.*)?$/i.test(path);
}

/** Whether the recipe carries the admin token as the gateway reads it. */
const withAdmin = (r: Recipe) => r.auth === 'admin' || r.auth === 'admin-lowercase';

/**
 * A request. The admin token goes to the control API only with GET or HEAD: the fuzz must not rewrite the policy,
 * the servers or the grants it checks against (without the admin token every method is tried). And HEAD
 * /api/events with it is bug 6 of the report (never answered, reproduced in http-front.test.ts): sent as GET.
 */
export const recipe: fc.Arbitrary<Recipe> = fc
  .oneof(
    { weight: 4, arbitrary: usualRecipe },
    { weight: 2, arbitrary: controlRecipe },
    { weight: 2, arbitrary: hostileRecipe },
  )
  .map((r) => {
    if (!withAdmin(r) || isMcpPath(r.path)) return r;
    if (r.method === 'GET' || (r.method === 'HEAD' && !/^\/api\/events/i.test(r.path))) return r;
    return { ...r, method: 'GET' };
  });

/** What a recipe needs from the running gateway. */
export interface Target {
  port: number;
  adminToken: string;
  tokens: { fuzz: string; other: string };
  sessions: { live: string; scoped: string; foreign: string };
}

export interface Concrete {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** The bearer token it carries. */
  carries: 'admin' | 'grant' | 'none';
  /** Whether /mcp should take it: a grant's token alone, or the admin token naming a grant. */
  mcpCredential: boolean;
  /** The Mcp-Session-Id it sends. */
  session: string | undefined;
  /** Whether Host and Origin are the gateway's own (a foreign one must be refused). */
  ownOrigin: boolean;
  /** Whether it uses a session of another grant (must be refused). */
  foreignSession: boolean;
}

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

function bodyBytes(b: Body): Buffer | undefined {
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

export function concrete(r: Recipe, t: Target): Concrete {
  const headers: Record<string, string> = {};
  const pick = <T extends string>(choice: Choice<T>, table: Record<T, string | undefined>) =>
    typeof choice === 'object' ? choice.raw : table[choice];
  const host = pick(r.host, {
    ip: `127.0.0.1:${t.port}`,
    localhost: `localhost:${t.port}`,
    v6: `[::1]:${t.port}`,
    'ip-no-port': '127.0.0.1',
    foreign: `evil.example:${t.port}`,
    absent: undefined,
  });
  if (host !== undefined) headers.host = host;
  const origin = pick(r.origin, {
    absent: undefined,
    own: `http://127.0.0.1:${t.port}`,
    foreign: 'http://evil.example',
    null: 'null',
    'other-port': `http://127.0.0.1:${t.port + 1}`,
  });
  if (origin !== undefined) headers.origin = origin;
  const authorization = pick(r.auth, {
    grant: `Bearer ${t.tokens.fuzz}`,
    'other-grant': `Bearer ${t.tokens.other}`,
    admin: `Bearer ${t.adminToken}`,
    'admin-lowercase': `bearer\t${t.adminToken} `,
    'admin-suffix': `Bearer ${t.adminToken}x`,
    'admin-cut': `Bearer ${t.adminToken.slice(0, -1)}`,
    'admin-twice': `Bearer ${t.adminToken} ${t.adminToken}`,
    'admin-upper': `Bearer ${t.adminToken.toUpperCase()}`,
    wrong: 'Bearer gh_not-a-real-token',
    absent: undefined,
    lowercase: `bearer   ${t.tokens.fuzz}  `,
    basic: `Basic ${Buffer.from(`fuzz:${t.tokens.fuzz}`).toString('base64')}`,
    'empty-bearer': 'Bearer ',
  });
  if (authorization !== undefined) headers.authorization = authorization;
  const session = pick(r.session, {
    absent: undefined,
    live: r.auth === 'other-grant' ? t.sessions.foreign : t.sessions.live,
    scoped: t.sessions.scoped,
    foreign: r.auth === 'other-grant' ? t.sessions.live : t.sessions.foreign,
    unknown: '00000000-0000-4000-8000-000000000000',
    empty: '',
  });
  if (session !== undefined) headers['mcp-session-id'] = session;
  if (r.scope !== undefined) headers['x-gatehouse-server'] = r.scope;
  if (r.version !== undefined) headers['mcp-protocol-version'] = r.version;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.accept !== undefined) headers.accept = r.accept;
  if (r.grantHeader !== undefined) headers['x-gatehouse-grant'] = r.grantHeader;

  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const carries =
    token === t.adminToken ? 'admin' : token === t.tokens.fuzz || token === t.tokens.other ? 'grant' : 'none';
  const namesGrant = r.grantHeader === 'fuzz' || r.grantHeader === 'other';
  const mcpCredential =
    (carries === 'grant' && r.grantHeader === undefined) || (carries === 'admin' && namesGrant);
  const ownHost =
    host !== undefined &&
    [`127.0.0.1:${t.port}`, `localhost:${t.port}`, `[::1]:${t.port}`, '127.0.0.1'].includes(host);
  const ownOrigin = ownHost && (origin === undefined || origin === `http://127.0.0.1:${t.port}`);
  const foreignSession =
    session !== undefined &&
    ((token === t.tokens.fuzz && session === t.sessions.foreign) ||
      (token === t.tokens.other && (session === t.sessions.live || session === t.sessions.scoped)));
  return {
    method: r.method,
    path: r.path,
    headers,
    body: bodyBytes(r.body),
    carries,
    mcpCredential,
    ownOrigin,
    foreignSession,
    session,
  };
}

/** A request the test makes itself, to the gateway's own Host. */
export function plain(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Concrete {
  return {
    method,
    path,
    headers: { host: `127.0.0.1:${port}`, ...headers },
    body: body === undefined ? undefined : Buffer.from(body),
    carries: 'none',
    mcpCredential: false,
    ownOrigin: true,
    foreignSession: false,
    session: headers['mcp-session-id'],
  };
}

export type Outcome =
  | { kind: 'answered'; status: number; headers: http.IncomingHttpHeaders; body: string; stream: boolean }
  | { kind: 'closed'; error: string }
  | { kind: 'hung' };

/** Sends one request; a GET answered with an event stream counts as answered once its headers arrive. */
export function send(port: number, c: Concrete, deadlineMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: c.method,
        path: c.path,
        headers: c.headers,
        agent: false,
        setHost: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const stream = /text\/event-stream/i.test(res.headers['content-type'] ?? '');
        if (stream && c.method === 'GET') {
          done({ kind: 'answered', status, headers: res.headers, body: '', stream });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          done({
            kind: 'answered',
            status,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            stream,
          }),
        );
        res.on('error', (err) => done({ kind: 'closed', error: err.message }));
        res.on('close', () => done({ kind: 'closed', error: 'closed mid-answer' }));
      },
    );
    const timer = setTimeout(() => {
      done({ kind: 'hung' });
      req.destroy();
    }, deadlineMs);
    req.on('error', (err) => done({ kind: 'closed', error: err.message }));
    // A body always travels with its length: Node's client sends a GET's body bare, which the server would read as
    // the start of a second, malformed request.
    if (c.body !== undefined) req.setHeader('content-length', c.body.length);
    req.end(c.body);
  });
}
