// Clients that speak OAuth (mcp-remote, VS Code) answer a 401 from /mcp by trying OAuth's discovery, registration and
// token endpoints. Gatehouse has no OAuth: each of them answers an error in OAuth's shape whose description says what
// to do instead — the text those clients show — rather than a bare 404 that ends in "dynamic registration failed".
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The metadata documents an OAuth client looks for, with or without the resource's path after them. */
const METADATA_PATH =
  /^\/\.well-known\/(?:oauth-protected-resource|oauth-authorization-server|openid-configuration)(?:\/.*)?$/i;
/** Registration, authorization and token endpoints, as a client guesses them when no metadata names them. */
const ENDPOINT_PATH = /^\/(?:register|authorize|token)\/?$/i;

export function isOAuthProbe(pathname: string): boolean {
  return METADATA_PATH.test(pathname) || ENDPOINT_PATH.test(pathname);
}

/**
 * What a client without a valid grant token must do: `grantCommand` is how this install creates one from a terminal
 * (an absolute path); without one (the tray app), the dashboard's Clients view.
 */
export function grantTokenHint(grantCommand: string | undefined): string {
  const how =
    grantCommand === undefined
      ? 'in the Gatehouse dashboard (Clients: Create a grant)'
      : `with \`${grantCommand}\``;
  return (
    'Gatehouse does not use OAuth: send `Authorization: Bearer <grant token>`; ' +
    `missing, unknown or revoked grant token: create one ${how}`
  );
}

/**
 * The WWW-Authenticate header of a 401 (RFC 6750): its description may hold printable ASCII only, without `"` or
 * `\`, so anything else in the text (a path with spaces quoted, a non-ASCII folder name) becomes `?`.
 */
export function wwwAuthenticate(description: string): string {
  const safe = description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
  return `Bearer realm="gatehouse", error="invalid_token", error_description="${safe}"`;
}

/**
 * A metadata document: 404, so clients stop looking for an authorization server. Registration, authorization, token:
 * 400 `access_denied`, an error no client answers by registering or retrying again.
 */
export function answerOAuthProbe(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  grantCommand: string | undefined,
): void {
  const metadata = METADATA_PATH.test(pathname);
  const body = JSON.stringify({
    error: metadata ? 'not_found' : 'access_denied',
    error_description: grantTokenHint(grantCommand),
  });
  res.writeHead(metadata ? 404 : 400, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
