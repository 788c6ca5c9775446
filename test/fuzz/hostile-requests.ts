// Hostile HTTP requests for the front-door fuzz: a request is generated as a recipe (symbolic choices such as "the
// admin token" or "a live session") and made concrete against a running gateway; raw-http.ts sends it.
import fc from 'fast-check';
import { body, bodyBytes, message, protoObject, toolsCall, type Body } from './mcp-bodies.js';
import type { Json } from './policy-texts.js';

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

/** Printable header text (what Node's client lets through): spaces, ASCII and Latin-1 letters. */
const headerText = fc
  .array(
    fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(0x09)),
    { maxLength: 40 },
  )
  .map((codes) => String.fromCharCode(...codes));

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
 * the servers or the grants it checks against (without the admin token every method is tried).
 */
export const recipe: fc.Arbitrary<Recipe> = fc
  .oneof(
    { weight: 4, arbitrary: usualRecipe },
    { weight: 2, arbitrary: controlRecipe },
    { weight: 2, arbitrary: hostileRecipe },
  )
  .map((r) => {
    if (!withAdmin(r) || isMcpPath(r.path)) return r;
    if (r.method === 'GET' || r.method === 'HEAD') return r;
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
