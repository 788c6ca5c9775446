// Who may talk to the gateway: Host and Origin checks against DNS rebinding, and bearer-token authentication.
import type { IncomingMessage } from 'node:http';
import type { GrantEntry } from '../grants/store.js';
import crypto from 'node:crypto';
import { matchDigest, tokenDigest } from '../grants/store.js';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
export const ALLOWED_HOSTNAMES = LOOPBACK_HOSTS;

/** An Origin is accepted only when it is the gateway's own (the dashboard); MCP clients send none. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return LOOPBACK_HOSTS.some((host) => origin === `http://${host}:${port}`);
}

export type AuthResult =
  { ok: true; kind: 'grant'; grant: string } | { ok: true; kind: 'admin' } | { ok: false; message: string };

export interface AuthSources {
  adminToken: string;
  grants: () => readonly GrantEntry[];
  /** Re-reads grants.json: a grant added a moment ago by `gatehouse grant add` is honoured at once. */
  reloadGrants: () => readonly GrantEntry[];
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The admin token's digest, made once per set of sources. */
const adminDigests = new WeakMap<AuthSources, { token: string; digest: Buffer }>();
function adminDigest(sources: AuthSources): Buffer {
  let memo = adminDigests.get(sources);
  if (memo?.token !== sources.adminToken) {
    memo = { token: sources.adminToken, digest: tokenDigest(sources.adminToken) };
    adminDigests.set(sources, memo);
  }
  return memo.digest;
}

/**
 * MCP requests: a grant's token, or the admin token naming a grant in X-Gatehouse-Grant (the bridge). The presented
 * token is hashed once; its digest is compared in constant time with the admin token's and every grant's.
 */
export function authenticateMcp(req: IncomingMessage, sources: AuthSources): AuthResult {
  const token = bearerToken(req);
  if (!token) {
    return {
      ok: false,
      message: 'missing bearer token: send "Authorization: Bearer <grant token>"',
    };
  }
  const named = req.headers['x-gatehouse-grant'];
  const presented = tokenDigest(token);
  if (crypto.timingSafeEqual(presented, adminDigest(sources))) {
    if (typeof named !== 'string' || named === '') {
      return {
        ok: false,
        message: 'the admin token opens MCP sessions only together with an X-Gatehouse-Grant header',
      };
    }
    const exists = (list: readonly GrantEntry[]) => list.some((g) => g.name === named);
    if (exists(sources.grants()) || exists(sources.reloadGrants()))
      return { ok: true, kind: 'grant', grant: named };
    return { ok: false, message: `no grant named "${named}": create it with gatehouse grant add ${named}` };
  }
  if (named !== undefined)
    return { ok: false, message: 'X-Gatehouse-Grant is accepted only together with the admin token' };
  const grant = matchDigest(sources.grants(), presented) ?? matchDigest(sources.reloadGrants(), presented);
  if (!grant) return { ok: false, message: 'unknown or revoked grant token' };
  return { ok: true, kind: 'grant', grant: grant.name };
}
