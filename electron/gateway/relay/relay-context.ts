// What the routes of one client session need to reach the upstreams under the policy: the upstreams it sees, the guard
// every use of a capability passes, and listing in pages.
import { z } from 'zod';
import type { ServerCapability } from '../../../shared/policy.js';
import type { CapabilityUse } from '../calls/capability-guard.js';
import type { ClientSession } from '../front/client-session.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { SubscriptionBook } from './subscriptions.js';

/** Results passed on as the upstream sent them (the client checks them). */
export const Loose = z.looseObject({});
const MAX_PAGES = 50;

export interface UpstreamHandle {
  server: string;
  client: UpstreamClient;
  toolPrefix?: string;
  /** This session's own instance (sessionUpstreams): subscriptions go straight to it, not through the shared book. */
  dedicated?: boolean;
}

export interface RelayDeps {
  /** The upstreams a session sees now (its scope, its own instances). */
  upstreams: (session: ClientSession) => UpstreamHandle[];
  /**
   * Runs `forward` under the policy of a capability use: logged, and only when allowed (possibly after a person
   * approved); otherwise throws a JSON-RPC error naming the reason.
   */
  guard: <T>(use: CapabilityUse, forward: () => Promise<T>) => Promise<T>;
  /** The action of a capability for a grant, without asking anyone: lists hide what is denied. */
  capabilityAction: (
    server: string,
    capability: ServerCapability,
    grant: string,
  ) => 'allow' | 'deny' | 'approve';
  /** Resource subscriptions are shared across sessions: subscribe upstream once, unsubscribe when nobody listens. */
  subscriptions: SubscriptionBook;
}

/** The per-session view of RelayDeps that the route files share. */
export class RelayContext {
  constructor(
    readonly session: ClientSession,
    private readonly deps: RelayDeps,
  ) {}

  get subscriptions(): SubscriptionBook {
    return this.deps.subscriptions;
  }

  /** The upstreams that declared a capability. */
  supporting(cap: 'resources' | 'prompts' | 'completions' | 'logging'): UpstreamHandle[] {
    return this.deps.upstreams(this.session).filter((u) => u.client.capabilities?.[cap] !== undefined);
  }

  /** Lists show only what the policy lets this grant use at all; a `deny` hides the server's whole capability. */
  visible(capability: ServerCapability, cap: 'resources' | 'prompts'): UpstreamHandle[] {
    return this.supporting(cap).filter(
      (u) => this.deps.capabilityAction(u.server, capability, this.session.grant) !== 'deny',
    );
  }

  guard<T>(
    u: UpstreamHandle,
    use: {
      capability: ServerCapability;
      method: string;
      target: string;
      params: object;
      signal: AbortSignal;
    },
    forward: () => Promise<T>,
  ): Promise<T> {
    return this.deps.guard(
      {
        grant: this.session.grant,
        session: this.session.id,
        server: u.server,
        ...use,
        params: use.params as Record<string, unknown>,
      },
      forward,
    );
  }
}

export async function allPages<T>(
  client: UpstreamClient,
  method: string,
  key: string,
  signal: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.request({ method, params: cursor ? { cursor } : {} }, Loose, { signal });
    items.push(...((result[key] as T[] | undefined) ?? []));
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return items;
}
