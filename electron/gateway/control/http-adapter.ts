// The generic HTTP adapter of the control API: one express route per operation of shared/api/operations.ts,
// with the input parsed by its zod schema (path params, query string or body) and the output checked by its schema.
// express is loaded with the first control request: `gatehouse serve` does not wait for it (README "Performance").
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type express from 'express';
import type { Request, Response, Router } from 'express';
import { operations, type OperationDef, type OperationName } from '../../../shared/api/operations.js';
import { UNAUTHORIZED_CONTROL } from './api-error.js';
import { failureOf, runOperation, type ControlCaller, type ControlHandlers } from './operation-call.js';

// handlers.ts and policy-handlers.ts name their type from here, the adapter they were first written for.
export type { ControlHandlers } from './operation-call.js';

const CONTROL_BODY_LIMIT = '1mb';

function sendError(res: Response, err: unknown, diagnostics: (line: string) => void): void {
  const { status, body } = failureOf(err, diagnostics);
  res.status(status).json(body);
}

/** Copies own keys as data: `__proto__` in a body stays a key (Object.assign would make it the prototype). */
function copyInto(target: Record<string, unknown>, source: unknown): void {
  if (typeof source !== 'object' || source === null) return;
  for (const [key, value] of Object.entries(source)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
}

function rawInput(def: OperationDef, req: Request): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (def.method === 'GET' || def.method === 'DELETE') copyInto(input, req.query);
  else if (def.textBody === 'request' || def.textBody === 'both') {
    input.text = typeof req.body === 'string' ? req.body : '';
    const ifMatch = req.headers['if-match'];
    if (typeof ifMatch === 'string') input.ifMatch = ifMatch;
  } else if (req.body !== undefined && req.body !== null && typeof req.body === 'object') {
    copyInto(input, req.body);
    const ifMatch = req.headers['if-match'];
    if (def.conditional && typeof ifMatch === 'string') input.ifMatch = ifMatch;
  }
  copyInto(input, req.params);
  return input;
}

/**
 * express, loaded when first needed (README "Performance": loading it was a tenth of `gatehouse serve`'s start). A
 * plain require, so the router can be built synchronously on the first request that needs it.
 */
export function loadExpress(): typeof express {
  return createRequire(import.meta.url)('express') as typeof express;
}

/** Express-style middleware: the control routes, built on their first request. */
export type ControlRouter = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

export function createControlRouter(
  handlers: ControlHandlers,
  /** The caller of an authorized request (the admin or a dashboard token); undefined answers 401. */
  callerOf: (req: IncomingMessage) => ControlCaller | undefined,
  diagnostics: (line: string) => void,
): ControlRouter {
  let router: Router | undefined;
  return (req, res, next) => {
    router ??= buildRouter(handlers, callerOf, diagnostics);
    router(req as Request, res as Response, next);
  };
}

function buildRouter(
  handlers: ControlHandlers,
  callerOf: (req: IncomingMessage) => ControlCaller | undefined,
  diagnostics: (line: string) => void,
): Router {
  const express = loadExpress();
  const router = express.Router();
  const json = express.json({ limit: CONTROL_BODY_LIMIT });
  const text = express.text({ limit: CONTROL_BODY_LIMIT, type: () => true });

  for (const [name, def] of Object.entries(operations) as [OperationName, OperationDef][]) {
    const bodyParser = def.textBody === 'request' || def.textBody === 'both' ? text : json;
    const route = async (req: Request, res: Response) => {
      const result = await runOperation(
        name,
        def,
        handlers,
        rawInput(def, req),
        callerOf(req) ?? {},
        diagnostics,
      );
      if (!result.ok) {
        res.status(result.status).json(result.body);
        return;
      }
      const { output } = result;
      if (def.textBody === 'response' || def.textBody === 'both') {
        if (typeof output.etag === 'string') res.setHeader('ETag', output.etag);
        // The version of the policy in force (the ETag is of the file on disk, which may be an invalid edit).
        if (typeof output.version === 'string') res.setHeader('X-Policy-Version', output.version);
        if (output.source !== undefined)
          res.setHeader('X-Policy-Source', encodeURIComponent(JSON.stringify(output.source)));
        res.type(def.textType ?? 'application/json').send(String(output.text));
        return;
      }
      if (typeof output.etag === 'string') res.setHeader('ETag', output.etag);
      res.json(output);
    };
    const method = def.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](
      def.path,
      (req, res, next) => {
        // The body is read only once the caller is known: an unauthenticated request gets 401, not a parse error.
        if (!def.public && callerOf(req) === undefined) {
          res.status(401).json({ error: UNAUTHORIZED_CONTROL });
          return;
        }
        bodyParser(req, res, next);
      },
      (req, res) => void route(req, res).catch((err: unknown) => sendError(res, err, diagnostics)),
    );
  }
  router.use((err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    if (!err) return next();
    const status = (err as { status?: number }).status;
    if (status === 413 || status === 400) {
      res.status(status).json({
        error: status === 413 ? 'request body too large' : `malformed body: ${(err as Error).message}`,
      });
      return;
    }
    sendError(res, err, diagnostics);
  });
  return router;
}

/** The one hook a caller of the contract needs: the output type of an operation. */
