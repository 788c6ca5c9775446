// Redaction of everything the log stores (DESIGN.md §5): values under secret-looking names, and known
// token formats found anywhere inside a string, become a marker with a short hash of what they replaced.
import crypto from 'node:crypto';

const MARKER = /^\[redacted sha256:[0-9a-f]{12}\]$/;

export function secretMarker(value: string): string {
  const hash = crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
  return `[redacted sha256:${hash}]`;
}

// ---- secret-looking names -------------------------------------------------------------------
// A name is split into its words (snake_case, camelCase, kebab-case, dots, digits dropped), and is secret when
// one word is a secret word, two neighbouring words form one (`api key`), or a lowercase run ends in one
// (`githubtoken`). Whole words only: `author`, `authority`, `tokens_used`, `max_tokens` are not secrets.
const SECRET_WORDS = new Set([
  'token',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'authorization',
  'auth',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'sessionkey',
]);
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'access key',
  'session key',
  'signing key',
  'encryption key',
  'master key',
]);
const SECRET_ENDINGS = ['token', 'password', 'passwd', 'secret', 'apikey', 'accesskey', 'privatekey'];

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter((w) => w !== '');
}

// Argument names repeat (arrays of objects); remembering the answer for a bounded set of names saves the split.
const nameVerdicts = new Map<string, boolean>();

export function isSecretName(name: string): boolean {
  let verdict = nameVerdicts.get(name);
  if (verdict === undefined) {
    verdict = judgeName(name);
    if (nameVerdicts.size >= 4096) nameVerdicts.clear();
    nameVerdicts.set(name, verdict);
  }
  return verdict;
}

function judgeName(name: string): boolean {
  const words = nameWords(name);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (SECRET_WORDS.has(word)) return true;
    if (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${word}`)) return true;
    if (word.length > 6 && SECRET_ENDINGS.some((end) => word.endsWith(end))) return true;
  }
  return false;
}

// ---- secrets inside strings -------------------------------------------------------------------
// `password=…`, `"api_key": "…"`, `Authorization: Bearer …`, `?access_token=…` inside free text.
const NAMED_VALUE = new RegExp(
  String.raw`(\b[\w-]{0,40}?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|authorization|auth|cookie|credentials?)\\?["']?[ \t]*[:=][ \t]*)` +
    String.raw`(?:(\\?["'])(?!\[redacted )([^"'\\\r\n]+)|(?!(?:(?:basic|bearer|token|digest)[ \t]+)?\[redacted )((?:basic|bearer|token|digest)[ \t]+)?([^\s"'&,;\\]+))`,
  'gi',
);

// Known token formats, matched anywhere: each whole match becomes a marker.
const TOKEN_PATTERNS: RegExp[] = [
  // Gatehouse's own: a grant's token (`gh_`, grants/store.ts) and the admin token (`gha_`): 32 random bytes,
  // base64url. An uppercase letter or a digit keeps long snake_case names out (a random token lacks both with
  // odds of 1 in 10^15).
  /(?<![A-Za-z0-9])gha?_(?=[A-Za-z0-9_-]{0,42}[A-Z0-9])[A-Za-z0-9_-]{43,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub classic tokens (personal, OAuth, user-to-server, server, refresh)
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g, // GitHub fine-grained tokens
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bsk-(?:ant-|proj-)?(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic (a digit keeps `sk-learn-…` prose)
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bnpm_[A-Za-z0-9]{36}/g, // npm
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  // A private key block; one cut short (a truncated text) is redacted to the end.
  /-----BEGIN[A-Z ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY[A-Z ]*-----|$)/g,
];
const BEARER = /\b([Bb]earer[ \t]+)(?!\[redacted )([A-Za-z0-9._~+/-]{8,}=*)/g;
// The password of a URL or DSN (`postgres://user:pass@host/db`, `https://user:pass@host`): everything up to the
// last `@` of the authority, so a password holding an unencoded `@` is not cut short.
const URL_PASSWORD =
  /\b([a-z][a-z0-9+.-]{0,20}:\/\/[^\s/?#@:]{0,256}:)(?!\[redacted )([^\s/?#]{1,256}?)@(?=[^\s/?#@]*(?:[\s/?#]|$))/gi;
// A URL whose user part alone is a token (`https://<token>@github.com/…`): long, with a digit.
const URL_USER_TOKEN = /\b([a-z][a-z0-9+.-]{0,20}:\/\/)(?=[A-Za-z0-9._~-]*\d)([A-Za-z0-9._~-]{20,256})@/gi;
// Query and fragment parameters that carry a credential in signed and OAuth URLs (`?sig=`, `&X-Amz-Signature=`,
// `#access_token=`, `?key=`), beyond the names NAMED_VALUE knows anywhere.
const QUERY_SECRET = new RegExp(
  String.raw`([?&#;](?:[A-Za-z0-9]+[_.-])*(?:sig|signature|key|apikey|jwt|pass|session|sessionid|hmac|credential|secret|token|password|pwd|auth)=)` +
    String.raw`(?!\[redacted )([^&#\s"'<>]+)`,
  'gi',
);

// Every pattern above needs one of these; most strings have none and skip the scans.
const MAY_HOLD_SECRET = /[_:=-]|AKIA|ASIA|AIza|eyJ|earer/;

/** What a secret found in a text becomes: the log's marker with a hash of it, or a plain mask. */
type Mark = (secret: string) => string;

/**
 * `text` with every secret this file recognizes replaced by `mark(secret)`: values of secret-looking names, known
 * token formats, bearer tokens, URL and DSN passwords, credentials in query strings.
 */
export function redactString(text: string, mark: Mark = secretMarker): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text.replace(
    NAMED_VALUE,
    (_m, key: string, quote?: string, quoted?: string, scheme?: string, bare?: string) =>
      quote !== undefined
        ? `${key}${quote}${mark(quoted ?? '')}`
        : `${key}${scheme ?? ''}${mark(bare ?? '')}`,
  );
  out = out.replace(QUERY_SECRET, (_m, key: string, value: string) => `${key}${mark(value)}`);
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, (match) => mark(match));
  out = out.replace(BEARER, (_m, scheme: string, token: string) => `${scheme}${mark(token)}`);
  out = out.replace(URL_USER_TOKEN, (_m, head: string, user: string) => `${head}${mark(user)}@`);
  return out.replace(URL_PASSWORD, (_m, head: string, password: string) => `${head}${mark(password)}@`);
}

// ---- values -------------------------------------------------------------------------------------
// Arguments arrive as parsed JSON; a depth cap keeps a hostile nesting from overflowing the stack.
const MAX_DEPTH = 64;
const TOO_DEEP = '[redacted: nested deeper than 64 levels]';

/**
 * A deep copy of `value` fit for the log. Every string is searched for known token formats; every leaf under a
 * secret-looking name (at any depth below it) becomes a marker; object keys are redacted like strings.
 * `keepValues: false` (settings.logArgumentValues off) turns every leaf into its marker; null stays null.
 * Idempotent: redacting an already redacted value changes nothing.
 */
export function redactForLog(value: unknown, keepValues: boolean): unknown {
  return walk(value, keepValues ? 'keep' : 'mark', 0);
}

/** The earlier name of redactForLog (kept for its callers). */
export function redactValue(value: unknown, keepValues = true): unknown {
  return redactForLog(value, keepValues);
}

function walk(value: unknown, mode: 'keep' | 'mark', depth: number): unknown {
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (typeof value === 'string') {
    if (MARKER.test(value)) return value;
    return mode === 'mark' ? secretMarker(value) : redactString(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return mode === 'mark' ? secretMarker(String(value)) : typeof value === 'bigint' ? String(value) : value;
  if (value === null || typeof value !== 'object') return value === null ? null : undefined;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return walk((json as () => unknown).call(value), mode, depth + 1);
  if (Array.isArray(value)) return value.map((v) => walk(v, mode, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    setOwn(out, redactString(k), walk(v, isSecretName(k) ? 'mark' : mode, depth + 1));
  }
  return out;
}

/**
 * `target[key] = value` as an own property whatever the key: assigning `__proto__` on a plain object would set its
 * prototype instead, so an argument named `__proto__` would vanish from the log (and its value hide behind it).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
