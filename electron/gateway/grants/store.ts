// grants.json: the MCP clients allowed in. Only a sha256 of each token is stored; the bare token is shown once.
import crypto from 'node:crypto';
import { z } from 'zod';
import { FileError, parseJsonFile, readTextIfExists, writeFileAtomic } from '../home/files.js';
import { formatZodIssues } from '../home/index.js';

const GRANT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const GrantEntry = z.object({
  name: z.string().regex(GRANT_NAME_PATTERN),
  created: z.string(),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type GrantEntry = z.infer<typeof GrantEntry>;

const GrantsFile = z.object({ grants: z.array(GrantEntry).default([]) });

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

// Gatehouse's tokens carry a prefix, so that the call log's redaction (log/redact.ts) finds one wherever it is pasted:
// `gh_` for a grant, `gha_` for the admin token; 32 random bytes, base64url, after it.
function newToken(): string {
  return `gh_${crypto.randomBytes(32).toString('base64url')}`;
}

/** A new admin token for the control API (runtime.json's `adminToken`; its format is no contract). */
export function newAdminToken(): string {
  return `gha_${crypto.randomBytes(32).toString('base64url')}`;
}

export function readGrants(file: string): GrantEntry[] {
  const text = readTextIfExists(file);
  if (text === undefined || text.trim() === '') return [];
  const parsed = GrantsFile.safeParse(parseJsonFile(file, text));
  if (!parsed.success) throw new FileError(file, formatZodIssues(parsed.error));
  return parsed.data.grants;
}

function writeGrants(file: string, grants: GrantEntry[]): void {
  writeFileAtomic(file, `${JSON.stringify({ grants }, null, 2)}\n`, 0o600);
}

export function addGrant(file: string, name: string, now = new Date()): { entry: GrantEntry; token: string } {
  if (!GRANT_NAME_PATTERN.test(name)) {
    throw new Error(
      `grant name "${name}" is not valid: use 1–64 letters, digits, "_", "." or "-", starting with a letter or digit`,
    );
  }
  const grants = readGrants(file);
  if (grants.some((g) => g.name === name)) {
    throw new Error(
      `a grant named "${name}" already exists; revoke it first with: gatehouse grant revoke ${name}`,
    );
  }
  const token = newToken();
  const entry = { name, created: now.toISOString(), tokenHash: hashToken(token) };
  writeGrants(file, [...grants, entry]);
  return { entry, token };
}

export function revokeGrant(file: string, name: string): boolean {
  const grants = readGrants(file);
  const kept = grants.filter((g) => g.name !== name);
  if (kept.length === grants.length) return false;
  writeGrants(file, kept);
  return true;
}

/** The sha256 of a token, as bytes: hashed once per request, then compared with every stored hash. */
export function tokenDigest(token: string): Buffer {
  return crypto.hash('sha256', token, 'buffer');
}

/** Each grant's stored hash as bytes, decoded once (grants are replaced, never changed, when grants.json changes). */
const storedDigests = new WeakMap<GrantEntry, Buffer>();
function storedDigest(grant: GrantEntry): Buffer {
  let digest = storedDigests.get(grant);
  if (!digest) storedDigests.set(grant, (digest = Buffer.from(grant.tokenHash, 'hex')));
  return digest;
}

/** Finds the grant a token's digest belongs to, comparing in constant time against every grant. */
export function matchDigest(grants: readonly GrantEntry[], presented: Buffer): GrantEntry | undefined {
  let found: GrantEntry | undefined;
  for (const grant of grants) {
    if (crypto.timingSafeEqual(presented, storedDigest(grant)) && !found) found = grant;
  }
  return found;
}

/** Constant-time string comparison for the admin token. */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
