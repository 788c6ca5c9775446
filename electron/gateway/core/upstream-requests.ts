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
  const client = deps.serverOf(caller.session);
  const clientCapability = capability === 'sampling' ? 'sampling' : 'elicitation';
  if (!client || client.getClientCapabilities()?.[clientCapability] === undefined) {
    return Promise.reject(
      new McpError(ErrorCode.InvalidRequest, `the client that made the call does not support ${capability}`),
    );
  }
  return deps.guard(
    {
      grant: caller.grant,
      session: caller.session,
      server,
      capability,
      method: request.method,
      target: server,
      params: request.params ?? {},
      signal,
    },
    () =>
      client.request({ method: request.method, params: request.params } as never, resultSchema, {
        relatedRequestId: caller.requestId,
        signal,
      }) as Promise<z.output<S>>,
  );
}
