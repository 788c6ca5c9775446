// The requests a peer answers, one route per method: the SDK's schema of the request (checked before the handler
// runs; a request that fails it gets -32602 with the problem in words) and the handler. `E` is what a handler gets
// besides the request (a client session's, an upstream connection's).
import { z } from 'zod';
import { ErrorCode, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { rpcError } from './rpc-error.js';

/** A zod schema, or a check with its shape (rpc/message-shapes.ts: the common tools/call checked by hand first). */
export interface RequestParser<T> {
  safeParse: (value: never) => { success: true; data: T } | { success: false; error: z.ZodError };
}

export interface Route<E> {
  /** Checks the whole request: the request as the schema returns it, or what is wrong in words. */
  check: (request: JSONRPCRequest) => { ok: true; request: unknown } | { ok: false; problem: string };
  handle: (request: never, extra: E) => unknown;
}

export type RouteTable<E> = ReadonlyMap<string, Route<E>>;

/** A route for the requests a schema accepts. */
export function route<T, E>(parser: RequestParser<T>, handle: (request: T, extra: E) => unknown): Route<E> {
  return {
    check: (request) => {
      const parsed = parser.safeParse(request as never);
      return parsed.success
        ? { ok: true, request: parsed.data }
        : { ok: false, problem: z.prettifyError(parsed.error).replace(/\n/g, '; ') };
    },
    handle: handle as Route<E>['handle'],
  };
}

/** Runs the route of a request: its check, then its handler; an unknown method is -32601. */
export function dispatch<E>(table: RouteTable<E>, request: JSONRPCRequest, extra: E): unknown {
  const found = table.get(request.method);
  if (!found) throw rpcError(ErrorCode.MethodNotFound, 'Method not found');
  const checked = found.check(request);
  if (!checked.ok) {
    throw rpcError(ErrorCode.InvalidParams, `Invalid params for ${request.method}: ${checked.problem}`);
  }
  return found.handle(checked.request as never, extra);
}
