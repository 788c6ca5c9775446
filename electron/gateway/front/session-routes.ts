// What a route of a client session gets besides the request, and the table type the gateway builds for a session.
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { route, type RequestParser, type Route, type RouteTable } from '../rpc/routes.js';
import type { ClientSession } from './client-session.js';

export interface SessionExtra {
  session: ClientSession;
  requestId: RequestId;
  signal: AbortSignal;
  /** A notification on this request's stream (progress). */
  notify: (notification: { method: string; params?: Record<string, unknown> }) => Promise<void>;
}

export type SessionRoute = Route<SessionExtra>;
export type SessionRoutes = RouteTable<SessionExtra>;

/** A route of a client session (rpc/routes.ts's route, with the session's extra). */
export function sessionRoute<T>(
  parser: RequestParser<T>,
  handle: (request: T, extra: SessionExtra) => unknown,
): SessionRoute {
  return route(parser, handle);
}
