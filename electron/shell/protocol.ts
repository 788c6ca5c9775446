// The app's own origin, gatehouse://app/: the built dashboard (dist/renderer) served to the shell's windows without
// file:// (which would make every local file same-origin) and without the gateway's HTTP port (whose pages any local
// process can load). The handler is a plain function of a Request, so it is tested in Node without Electron.
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

// The callback forms: Electron reads files inside app.asar through them (its asar support wraps node:fs's functions).
const realpath = promisify(fs.realpath);
const readFile = promisify(fs.readFile);

export const APP_SCHEME = 'gatehouse';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/`;

/** What the built dashboard needs: its own scripts and styles, React's style attributes; nothing from elsewhere. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** What registration uses of Electron's protocol module. */
export interface ProtocolLike {
  registerSchemesAsPrivileged(
    schemes: {
      scheme: string;
      privileges: { standard: boolean; secure: boolean; supportFetchAPI: boolean };
    }[],
  ): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/** Before the app is ready: gatehouse: is a standard, secure scheme (its own origin, ES modules, a secure context). */
export function registerAppScheme(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

function answer(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

/** The file a URL names inside `root`, or undefined when it would be outside (`..`, encoded or not; a symlink out). */
async function fileInside(root: string, pathname: string): Promise<string | undefined> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (relative.includes('\0')) return undefined;
  if (relative.endsWith('/')) relative += 'index.html';
  // No build of the dashboard: every page is missing.
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return undefined;
  const file = path.resolve(realRoot, `.${path.posix.normalize(`/${relative}`)}`);
  const real = await realpath(file).catch(() => file);
  const inside = path.relative(realRoot, real);
  return inside && !inside.startsWith('..') && !path.isAbsolute(inside) ? real : undefined;
}

/** The gatehouse: protocol handler: GET and HEAD of files of `root` on host `app`; 404 for everything else. */
export function createAppHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'method not allowed');
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return answer(404, 'not found');
    const file = await fileInside(root, url.pathname);
    if (!file) return answer(404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // Missing, or a folder: nothing to show.
      return answer(404, 'not found');
    }
    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff' };
    if (type.startsWith('text/html')) headers['content-security-policy'] = APP_CSP;
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
