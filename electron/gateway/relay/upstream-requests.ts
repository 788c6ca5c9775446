// Requests an upstream sends to a client — sampling and elicitation — go only to the session whose call caused
// them, when that is known without doubt: exactly one tools/call in flight on that upstream. Otherwise they are
// refused with a clear error. Roots are never passed through: they come from servers.json.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ServerCapability } from '../../../shared/policy.js';
import type { CapabilityUse } from '../calls/capability-guard.js';
import type { ClientSession } from '../front/client-session.js';

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
  sessionOf: (session: string) => ClientSession | undefined;
  guard: <T>(use: CapabilityUse, forward: () => Promise<T>) => Promise<T>;
}

/**
 * Sends an upstream's sampling or elicitation request to the client it belongs to, under the policy. For a shared
 * upstream that is the session of the one call in flight on it (refused when there are none or several); for a
 * session's own instance (sessionUpstreams, `owner` given) it is that session, on the stream of its call to that server
 * when there is exactly one, else on its GET stream.
 */
export function routeToClient<S extends z.ZodType>(
  deps: RouteDeps,
  server: string,
  capability: Extract<ServerCapability, 'sampling' | 'elicitation'>,
  request: { method: string; params?: Record<string, unknown> },
  resultSchema: S,
  signal: AbortSignal,
  owner?: { session: string; grant: string },
): Promise<z.output<S>> {
  let target: { session: string; grant: string; requestId?: string | number } | undefined;
  if (owner) {
    const call = deps.inFlight.soleCallerIn(server, owner.session);
    target = { ...owner, ...(call ? { requestId: call.requestId } : {}) };
  } else {
    target = deps.inFlight.soleCaller(server);
  }
  if (!target) {
    return Promise.reject(
      new McpError(
        ErrorCode.InvalidRequest,
        `Gatehouse refused ${request.method} from upstream "${server}": it cannot tell without doubt which client's call caused it (it passes such requests only while exactly one call to that server is in flight)`,
      ),
    );
  }
  const client = deps.sessionOf(target.session);
  const clientCapability = capability === 'sampling' ? 'sampling' : 'elicitation';
  if (!client || client.capabilities?.[clientCapability] === undefined) {
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
      client.request({ method: request.method, params: request.params }, resultSchema, {
        ...(target.requestId !== undefined ? { relatedRequestId: target.requestId } : {}),
        signal,
      }),
  );
}
