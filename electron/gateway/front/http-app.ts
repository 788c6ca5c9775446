// The one port of the gateway: /mcp for MCP clients, /api for the control API, / for the dashboard.
// Every request passes the Host check (the SDK's middleware), the Origin check and authentication first.
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { ALLOWED_HOSTNAMES, authenticateMcp, originAllowed, type AuthSources } from './request-guard.js';
import { jsonRpcError, MAX_BODY_BYTES, type McpSessions } from './mcp-sessions.js';
import type { EventHub } from '../control/event-hub.js';
import { serveEvents } from '../control/sse.js';
import { UNAUTHORIZED_CONTROL } from '../control/api-error.js';

/** An oversize body up to this size is drained before the 413, so the client reads the answer. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

export interface HttpAppDeps {
  port: () => number;
  auth: AuthSources;
  sessions: McpSessions;
  diagnostics: (line: string) => void;
  control: {
    router: express.Router;
    hub: EventHub;
    /** The admin token or a dashboard session token. */
    isAuthorized: (req: Request) => boolean;
  };
  /** The built dashboard (dist/renderer), served at /; absent in tests of the core. */
  dashboardDir?: string;
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(hostHeaderValidation(ALLOWED_HOSTNAMES));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (!originAllowed(origin, deps.port()))
      return jsonRpcError(res, 403, `Forbidden: foreign Origin ${origin}`);
    next();
  });

  app.all('/mcp', (req: Request, res: Response) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      // The body is read and thrown away (up to a bound), so the client can read the answer instead of a reset;
      // then the connection closes, so nothing of it can be taken for another request.
      res.setHeader('Connection', 'close');
      const answer = () => jsonRpcError(res, 413, `Payload too large: the limit is ${MAX_BODY_BYTES} bytes`);
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
      res.setHeader('WWW-Authenticate', 'Bearer realm="gatehouse"');
      return jsonRpcError(res, 401, `Unauthorized: ${auth.message}`);
    }
    if (auth.kind !== 'grant') return jsonRpcError(res, 401, 'Unauthorized: a grant is required');
    deps.sessions.handle(req, res, auth.grant).catch((err: Error) => {
      deps.diagnostics(`/mcp request failed: ${err.stack ?? err.message}`);
      jsonRpcError(res, 500, 'Internal error', -32603);
    });
  });

  const requireControlAuth = (req: Request, res: Response, next: NextFunction) => {
    if (deps.control.isAuthorized(req)) return next();
    res.status(401).json({ error: UNAUTHORIZED_CONTROL });
  };
  app.get('/api/events', requireControlAuth, (req: Request, res: Response) =>
    serveEvents(deps.control.hub, req, res),
  );
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
  return app;
}
