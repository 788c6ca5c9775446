// The one port of the gateway: /mcp for MCP clients, /api for the control API, / for the dashboard.
// Every request passes the Host check (the SDK's middleware), the Origin check and authentication first.
// /mcp is served on Node's own request/response; express (the control API, the dashboard's files) is loaded on the
// first request that needs it. Why (README "Performance"): loading express took about 85 ms of `gatehouse serve`'s
// start, and its routing and request/response wrappers cost CPU on every MCP call.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Express, NextFunction, Request, Response } from 'express';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import {
  ALLOWED_HOSTNAMES,
  authenticateMcp,
  originAllowed,
  type AuthSources,
} from '../front/request-guard.js';
import { jsonRpcError, MAX_BODY_BYTES, type McpSessions } from '../front/mcp-sessions.js';
import { answerOAuthProbe, grantTokenHint, isOAuthProbe, wwwAuthenticate } from '../front/oauth-probes.js';
import type { EventHub } from '../control/event-hub.js';
import { loadExpress, type ControlRouter } from '../control/http-adapter.js';
import { serveEvents } from '../control/sse.js';
import { UNAUTHORIZED_CONTROL } from '../control/api-error.js';

/** An oversize body up to this size is drained before the 413, so the client reads the answer. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** How many accepted Host header values are remembered. */
const MAX_REMEMBERED_HOSTS = 32;

/** The plain forms of the /mcp path, as express routed them (case-insensitive, optional trailing slash). */
const MCP_PATH = /^\/mcp\/?$/i;

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpAppDeps {
  port: () => number;
  auth: AuthSources;
  sessions: McpSessions;
  diagnostics: (line: string) => void;
  /** How a user creates a grant token here, told to clients that come without one (never a bare `npx gatehouse`). */
  grantCommand?: string;
  control: {
    router: ControlRouter;
    hub: EventHub;
    /** The admin token or a dashboard session token. */
    isAuthorized: (req: IncomingMessage) => boolean;
  };
  /** The built dashboard (dist/renderer), served at /; absent in tests of the core. */
  dashboardDir?: string;
}

/**
 * The SDK's Host check is express middleware; this is the part of express's response it uses (`status().json()`),
 * written the way express writes it.
 */
function jsonAnswerer(req: IncomingMessage, res: ServerResponse) {
  return {
    status: (status: number) => ({
      json: (value: unknown) => {
        const body = JSON.stringify(value);
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
    }),
  };
}

function pathOf(url: string | undefined): string | undefined {
  if (!url?.startsWith('/')) return undefined;
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

export function createHttpApp(deps: HttpAppDeps): RequestListener {
  const checkHost = hostHeaderValidation(ALLOWED_HOSTNAMES) as unknown as (
    req: IncomingMessage,
    res: ReturnType<typeof jsonAnswerer>,
    next: () => void,
  ) => void;
  // The check depends on the Host header alone: a value it accepted is accepted again without parsing it as a URL
  // (a few per gateway in practice: bounded all the same). A refused value always gets the SDK's answer.
  const acceptedHosts = new Set<string>();
  const hostAccepted = (req: IncomingMessage, res: ServerResponse): boolean => {
    const host = req.headers.host;
    if (host !== undefined && acceptedHosts.has(host)) return true;
    let ok = false;
    checkHost(req, jsonAnswerer(req, res), () => (ok = true));
    if (ok && host !== undefined && acceptedHosts.size < MAX_REMEMBERED_HOSTS) acceptedHosts.add(host);
    return ok;
  };
  const mcp = mcpHandler(deps);
  let rest: RequestListener | undefined;
  return (req, res) => {
    if (!hostAccepted(req, res)) return;
    const origin = req.headers.origin;
    if (!originAllowed(origin, deps.port()))
      return jsonRpcError(res, 403, `Forbidden: foreign Origin ${origin}`);
    const pathname = pathOf(req.url);
    if (pathname !== undefined && MCP_PATH.test(pathname)) return mcp(req, res);
    if (pathname !== undefined && isOAuthProbe(pathname))
      return answerOAuthProbe(req, res, pathname, deps.grantCommand);
    // Everything else (and any unusual form of a URL) goes through express, as before, with /mcp routed there too.
    rest ??= expressApp(deps, mcp);
    rest(req, res);
  };
}

function mcpHandler(deps: HttpAppDeps): RequestListener {
  return (req, res) => {
    try {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        // The body is read and thrown away (up to a bound), so the client can read the answer instead of a reset;
        // then the connection closes, so nothing of it can be taken for another request.
        res.setHeader('Connection', 'close');
        const answer = () =>
          jsonRpcError(res, 413, `Payload too large: the limit is ${MAX_BODY_BYTES} bytes`);
        if (declared > DRAIN_LIMIT_BYTES) {
          answer();
          req.destroy();
          return;
        }
        req
          .on('end', answer)
          .on('error', () => undefined)
          .resume();
        return;
      }
      const auth = authenticateMcp(req, deps.auth);
      if (!auth.ok) {
        // A client of its own (no X-Gatehouse-Grant: not the bridge) may be one that tries OAuth next: tell it what to
        // send instead, here and at the OAuth endpoints it tries (front/oauth-probes.ts).
        const hint = req.headers['x-gatehouse-grant'] === undefined ? grantTokenHint(deps.grantCommand) : '';
        res.setHeader('WWW-Authenticate', wwwAuthenticate(hint || auth.message));
        return jsonRpcError(res, 401, `Unauthorized: ${auth.message}${hint ? `. ${hint}` : ''}`);
      }
      if (auth.kind !== 'grant') return jsonRpcError(res, 401, 'Unauthorized: a grant is required');
      deps.sessions.handle(req, res, auth.grant).catch((err: Error) => fail(err));
    } catch (err) {
      fail(err as Error);
    }

    function fail(err: Error) {
      deps.diagnostics(`/mcp request failed: ${err.stack ?? err.message}`);
      jsonRpcError(res, 500, 'Internal error', -32603);
    }
  };
}

/** The routes besides /mcp: the control API and the dashboard, on express, loaded when first needed. */
function expressApp(deps: HttpAppDeps, mcp: RequestListener): RequestListener {
  const express = loadExpress();
  const app: Express = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.all('/mcp', (req: Request, res: Response) => mcp(req, res));

  const requireControlAuth = (req: Request, res: Response, next: NextFunction) => {
    if (deps.control.isAuthorized(req)) return next();
    res.status(401).json({ error: UNAUTHORIZED_CONTROL });
  };
  app.get('/api/events', requireControlAuth, (req: Request, res: Response) =>
    serveEvents(deps.control.hub, req, res),
  );
  // express would answer OPTIONS itself, with each route's methods and before any check: the control API has no
  // cross-origin callers to tell anything, so OPTIONS is refused like any request (401 without the token).
  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'OPTIONS') return next();
    requireControlAuth(req, res, () =>
      res
        .status(405)
        .json({ error: 'the control API answers no OPTIONS requests (it serves this machine only)' }),
    );
  });
  app.use('/api', deps.control.router);
  app.use('/api', requireControlAuth, (req: Request, res: Response) => {
    res.status(404).json({ error: `no such control route: ${req.method} /api${req.path}` });
  });

  if (deps.dashboardDir && fs.existsSync(path.join(deps.dashboardDir, 'index.html'))) {
    app.use(
      express.static(deps.dashboardDir, {
        index: 'index.html',
        setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
      }),
    );
  }
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: `not found: ${req.method} ${req.path}` });
  });
  return app as unknown as RequestListener;
}
