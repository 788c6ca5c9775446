// The HTTP shape of one control operation, derived from its declaration in operations.ts: pure, so the mapping (path
// parameters, query string, JSON or text bodies, text responses) is unit-tested without a server.
import type { OperationDef } from './operations.js';

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

const PATH_PARAM = /:([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names of the path parameters of a route, e.g. `/approvals/:id` → `['id']`. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(PATH_PARAM)].map((m) => m[1] as string);
}

function queryString(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Builds the request for an operation. `input` must already be valid for `def.input`. */
export function buildRequest(
  def: OperationDef,
  input: Record<string, unknown>,
  baseUrl: string,
  token: string | undefined,
): HttpRequest {
  const rest: Record<string, unknown> = { ...input };
  const path = def.path.replace(PATH_PARAM, (_, name: string) => {
    const value = rest[name];
    delete rest[name];
    if (value === undefined || value === null || value === '') {
      throw new Error(`${def.method} ${def.path}: the path parameter "${name}" is missing`);
    }
    return encodeURIComponent(String(value));
  });
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token && !def.public) headers.authorization = `Bearer ${token}`;
  const base = baseUrl.replace(/\/+$/, '');

  if (def.method === 'GET' || def.method === 'DELETE') {
    return { url: `${base}${path}${queryString(rest)}`, method: def.method, headers };
  }
  if (def.textBody === 'request' || def.textBody === 'both') {
    // Text bodies travel byte for byte; the adapter takes `text` as the body and `ifMatch` as the If-Match header.
    if (typeof rest.ifMatch === 'string') headers['if-match'] = rest.ifMatch;
    headers['content-type'] = 'text/plain; charset=utf-8';
    return { url: `${base}${path}`, method: def.method, headers, body: String(rest.text ?? '') };
  }
  if (def.conditional && typeof rest.ifMatch === 'string') {
    headers['if-match'] = rest.ifMatch;
    delete rest.ifMatch;
  }
  headers['content-type'] = 'application/json';
  return { url: `${base}${path}`, method: def.method, headers, body: JSON.stringify(rest) };
}

/** Response headers that carry the fields of a text response besides `text`. */
const TEXT_RESPONSE_HEADERS: Record<string, string> = { etag: 'etag', version: 'x-policy-version' };

/**
 * The raw output of a text response (`{text, ...fields from headers}`), before the output schema checks it.
 * The version of the policy file is its ETag's value while no `X-Policy-Version` header is sent.
 */
export function textResponseOutput(
  text: string,
  header: (name: string) => string | null,
): Record<string, unknown> {
  const output: Record<string, unknown> = { text };
  for (const [field, name] of Object.entries(TEXT_RESPONSE_HEADERS)) {
    const value = header(name);
    if (value !== null) output[field] = value;
  }
  // Team mode: where the policy comes from, as URI-encoded JSON (a header carries no other characters safely).
  const source = header('x-policy-source');
  if (source !== null) {
    try {
      output.source = JSON.parse(decodeURIComponent(source)) as unknown;
    } catch {
      // Left out: the output schema says what is missing.
    }
  }
  if (output.version === undefined && typeof output.etag === 'string') {
    output.version = output.etag.replace(/^W\//, '').replace(/^"|"$/g, '');
  }
  return output;
}
