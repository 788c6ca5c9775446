// One request for the team's policy (settings.json `policySource`): conditional on the ETag last seen, time-boxed,
// its body capped, and every way it can fail turned into a reason a person can act on. Nothing here parses the policy.

/** A bigger answer is not a policy: it is refused before it fills memory. */
const MAX_POLICY_BYTES = 4 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

export type PolicyFetch =
  | { kind: 'changed'; text: string; etag?: string }
  | { kind: 'unchanged' }
  | { kind: 'failed'; reason: string };

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: FetchLimits = { timeoutMs: FETCH_TIMEOUT_MS, maxBytes: MAX_POLICY_BYTES };

/**
 * The URL without its credentials, and those as an Authorization header: fetch refuses a URL with `user:pass@`, and a
 * URL without them is safe to name in an error.
 */
function withoutCredentials(url: string): { url: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, headers: {} };
  const basic = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.toString(),
    headers: { authorization: `Basic ${Buffer.from(basic, 'utf8').toString('base64')}` },
  };
}

/** Where a redirect points, without any credentials in it; undefined when it names no URL. */
function redirectTarget(location: string | null, base: string): string | undefined {
  if (location === null) return undefined;
  try {
    const to = new URL(location, base);
    to.username = '';
    to.password = '';
    return to.toString();
  } catch {
    return undefined;
  }
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : `${+(bytes / 1024).toFixed(1)} KiB`;

class TooLarge extends Error {}

/** The body as UTF-8, read until `maxBytes` at most. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw new TooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      throw new TooLarge();
    }
    chunks.push(chunk.value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

function failureReason(err: unknown, limits: FetchLimits): string {
  if (err instanceof TooLarge) return `the answer is larger than ${sizeText(limits.maxBytes)}`;
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError' || error.name === 'AbortError')
    return `no complete answer within ${limits.timeoutMs / 1000} s`;
  if ((error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA')
    return 'the answer is not UTF-8 text';
  const cause = error.cause?.code ?? error.cause?.message;
  return cause ? `cannot be reached (${cause})` : `cannot be fetched (${error.message})`;
}

/** GETs the team's policy: `changed` with its text and ETag, `unchanged` on 304, or why it failed. */
export async function fetchPolicy(
  url: string,
  etag: string | undefined,
  limits: FetchLimits = DEFAULT_LIMITS,
  /** Aborts the request (the gateway stops). */
  stop?: AbortSignal,
): Promise<PolicyFetch> {
  try {
    const target = withoutCredentials(url);
    const res = await fetch(target.url, {
      headers: {
        accept: 'application/json',
        ...target.headers,
        ...(etag !== undefined ? { 'if-none-match': etag } : {}),
      },
      // Not followed: a redirect could lead from https to plain http, or to another host, without anyone choosing it.
      redirect: 'manual',
      signal: stop
        ? AbortSignal.any([stop, AbortSignal.timeout(limits.timeoutMs)])
        : AbortSignal.timeout(limits.timeoutMs),
    });
    if (res.status === 304) {
      await res.body?.cancel();
      return { kind: 'unchanged' };
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const to = redirectTarget(res.headers.get('location'), target.url);
      return {
        kind: 'failed',
        reason: `answered with a redirect (HTTP ${res.status}${to ? ` to ${to}` : ''}), which is not followed: set policySource.url to where the policy is`,
      };
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { kind: 'failed', reason: `answered HTTP ${res.status} ${res.statusText}`.trim() };
    }
    const text = await readCapped(res, limits.maxBytes);
    const tag = res.headers.get('etag');
    return { kind: 'changed', text, ...(tag !== null ? { etag: tag } : {}) };
  } catch (err) {
    return { kind: 'failed', reason: failureReason(err, limits) };
  }
}
