// Requests an upstream sends to a client — sampling and elicitation — go only to the session whose call caused
// them, when that is known without doubt: exactly one tools/call in flight on that upstream. Otherwise they are
// refused with a clear error. Roots are never passed through: they come from servers.json.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ServerCapability } from '../../../shared/policy.js';
import type { CapabilityUse } from './passthrough.js';

export interface InFlightCall {
  session: string;
  grant: string;
  requestId: string | number;
}

/** The tools/calls in flight per upstream, for routing the upstream's own requests back to their cause. */
export class InFlightCalls {
  private readonly byServer = new Map<string, Set<InFlightCall>>();

  track(server: string, call: InFlightCall): () => void {
    const set = this.byServer.get(server) ?? new Set<InFlightCall>();
    set.add(call);
    this.byServer.set(server, set);
    return () => set.delete(call);
  }

  /** The one call of this session in flight on this server, if exactly one. */
  soleCallerIn(server: string, session: string): InFlightCall | undefined {
    const mine = [...(this.byServer.get(server) ?? [])].filter((c) => c.session === session);
    return mine.length === 1 ? mine[0] : undefined;
  }

  soleCaller(server: string): InFlightCall | undefined {
    const set = this.byServer.get(server);
    return set && set.size === 1 ? [...set][0] : undefined;
  }
}

export interface RouteDeps {
  inFlight: InFlightCalls;
  serverOf: (session: string) => Server | undefined;
  guard: <T>(use: CapabilityUse, forward: () => Promise<T>) => Promise<T>;
}

export function routeToCaller<S extends z.ZodType>(
  deps: RouteDeps,
  server: string,
  capability: Extract<ServerCapability, 'sampling' | 'elicitation'>,
  request: { method: string; params?: Record<string, unknown> },
  resultSchema: S,
  signal: AbortSignal,
): Promise<z.output<S>> {
  const caller = deps.inFlight.soleCaller(server);
  if (!caller) {
    return Promise.reject(
      new McpError(
        ErrorCode.InvalidRequest,
        `Gatehouse refused ${request.method} from upstream "${server}": it cannot tell without doubt which client's call caused it (it passes such requests only while exactly one call to that server is in flight)`,
      ),
    );
  }
  return askClient(deps, caller, server, capability, request, resultSchema, signal);
}

/**
 * A request from a session's own upstream instance (sessionUpstreams) goes to that session: no doubt about who caused
 * it. It travels on the stream of the session's call to that server when there is exactly one, else on its GET stream.
 */
export function routeToSession<S extends z.ZodType>(
  deps: RouteDeps,
  owner: { session: string; grant: string },
  server: string,
  capability: Extract<ServerCapability, 'sampling' | 'elicitation'>,
  request: { method: string; params?: Record<string, unknown> },
  resultSchema: S,
  signal: AbortSignal,
): Promise<z.output<S>> {
  const call = deps.inFlight.soleCallerIn(server, owner.session);
  return askClient(
    deps,
    { session: owner.session, grant: owner.grant, ...(call ? { requestId: call.requestId } : {}) },
    server,
    capability,
    request,
    resultSchema,
    signal,
  );
}

function askClient<S extends z.ZodType>(
  deps: RouteDeps,
  target: { session: string; grant: string; requestId?: string | number },
  server: string,
  capability: Extract<ServerCapability, 'sampling' | 'elicitation'>,
  request: { method: string; params?: Record<string, unknown> },
  resultSchema: S,
  signal: AbortSignal,
): Promise<z.output<S>> {
  const client = deps.serverOf(target.session);
  const clientCapability = capability === 'sampling' ? 'sampling' : 'elicitation';
  if (!client || client.getClientCapabilities()?.[clientCapability] === undefined) {
    return Promise.reject(
      new McpError(ErrorCode.InvalidRequest, `the client that made the call does not support ${capability}`),
    );
  }
  return deps.guard(
    {
      grant: target.grant,
      session: target.session,
      server,
      capability,
      method: request.method,
      target: server,
      params: request.params ?? {},
      signal,
    },
    () =>
      client.request({ method: request.method, params: request.params } as never, resultSchema, {
        ...(target.requestId !== undefined ? { relatedRequestId: target.requestId } : {}),
        signal,
      }) as Promise<z.output<S>>,
  );
}
