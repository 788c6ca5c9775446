// Everything besides tools, under the policy (DESIGN.md §4 "Other capabilities per server"): resources, prompts,
// completion and logging pass through from the upstreams to each client session; each capability is allowed, denied
// or sent for approval per server and grant. Prompts get exposed names like tools; resources keep their URIs.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type Prompt,
  type Resource,
  type ResourceTemplate,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ServerCapability } from '../../../shared/policy.js';
import { buildNameTable } from '../names/name-table.js';
import type { SessionRef } from '../front/mcp-sessions.js';
import type { CapabilityUse } from '../calls/capability-guard.js';

const Loose = z.object({}).passthrough();
const MAX_PAGES = 50;

export interface UpstreamHandle {
  server: string;
  client: Client;
  toolPrefix?: string;
  /** This session's own instance (sessionUpstreams): subscriptions go straight to it, not through the shared book. */
  dedicated?: boolean;
}

export interface PassthroughDeps {
  upstreams: () => UpstreamHandle[];
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

export type { SessionRef } from '../front/mcp-sessions.js';

async function allPages<T>(client: Client, method: string, key: string, signal: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await client.request({ method, params: cursor ? { cursor } : {} } as never, Loose, {
      signal,
    })) as Record<string, unknown>;
    items.push(...((result[key] as T[] | undefined) ?? []));
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return items;
}

function templateMatches(template: string, uri: string): boolean {
  const pattern = template
    .split(/(\{[^}]*\})/)
    .map((part) => (part.startsWith('{') ? '.+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(uri);
}

/** Which upstreams hold which resource URIs and templates, as last listed for a session. */
class ResourceRoutes {
  private byUri = new Map<string, string>();
  private templates: { server: string; uriTemplate: string }[] = [];

  setResources(entries: { server: string; uri: string }[]): Set<string> {
    const count = new Map<string, Set<string>>();
    for (const e of entries) count.set(e.uri, (count.get(e.uri) ?? new Set()).add(e.server));
    this.byUri = new Map();
    const colliding = new Set<string>();
    for (const [uri, servers] of count) {
      if (servers.size === 1) this.byUri.set(uri, [...servers][0]!);
      else colliding.add(uri);
    }
    return colliding;
  }

  setTemplates(templates: { server: string; uriTemplate: string }[]): void {
    this.templates = templates;
  }

  route(uri: string, withResources: string[]): string | undefined {
    const known = this.byUri.get(uri);
    if (known) return known;
    const matching = new Set(
      this.templates.filter((t) => templateMatches(t.uriTemplate, uri)).map((t) => t.server),
    );
    if (matching.size === 1) return [...matching][0];
    return withResources.length === 1 ? withResources[0] : undefined;
  }
}

export class SubscriptionBook {
  private readonly bySession = new Map<string, Set<string>>();
  private readonly serverOf = new Map<string, string>();

  constructor(
    private readonly upstream: (server: string, uri: string, subscribe: boolean) => Promise<void>,
  ) {}

  async subscribe(session: string, uri: string, server: string): Promise<void> {
    const first = !this.anyone(uri);
    const set = this.bySession.get(session) ?? new Set<string>();
    set.add(uri);
    this.bySession.set(session, set);
    this.serverOf.set(uri, server);
    if (first) await this.upstream(server, uri, true);
  }

  async unsubscribe(session: string, uri: string): Promise<void> {
    this.bySession.get(session)?.delete(uri);
    await this.release(uri);
  }

  /** The sessions that asked to hear about this URI. */
  listeners(uri: string): string[] {
    return [...this.bySession].filter(([, uris]) => uris.has(uri)).map(([s]) => s);
  }

  async dropSession(session: string): Promise<void> {
    const uris = [...(this.bySession.get(session) ?? [])];
    this.bySession.delete(session);
    for (const uri of uris) await this.release(uri).catch(() => undefined);
  }

  private async release(uri: string): Promise<void> {
    const server = this.serverOf.get(uri);
    if (server === undefined || this.anyone(uri)) return;
    this.serverOf.delete(uri);
    await this.upstream(server, uri, false);
  }

  private anyone(uri: string): boolean {
    for (const uris of this.bySession.values()) if (uris.has(uri)) return true;
    return false;
  }
}

/** Registers resources, prompts, completion and logging on one client session's Server. */
export function registerPassthrough(server: Server, session: SessionRef, deps: PassthroughDeps): void {
  const routes = new ResourceRoutes();
  const supporting = (cap: 'resources' | 'prompts' | 'completions' | 'logging') =>
    deps.upstreams().filter((u) => u.client.getServerCapabilities()?.[cap] !== undefined);
  const guard = <T>(
    u: UpstreamHandle,
    capability: ServerCapability,
    method: string,
    target: string,
    params: object,
    signal: AbortSignal,
    forward: () => Promise<T>,
  ) =>
    deps.guard(
      {
        grant: session.grant,
        session: session.id(),
        server: u.server,
        capability,
        method,
        target,
        params: params as Record<string, unknown>,
        signal,
      },
      forward,
    );
  // Lists show only what the policy lets this grant use at all; a `deny` hides the server's whole capability.
  const visible = (capability: ServerCapability, cap: 'resources' | 'prompts') =>
    supporting(cap).filter((u) => deps.capabilityAction(u.server, capability, session.grant) !== 'deny');
  const resourceUpstreamName = (uri: string): string | undefined =>
    routes.route(
      uri,
      supporting('resources').map((u) => u.server),
    );
  const resourceUpstream = (uri: string): UpstreamHandle => {
    const candidates = supporting('resources');
    const name = routes.route(
      uri,
      candidates.map((u) => u.server),
    );
    const found = candidates.find((u) => u.server === name);
    if (!found) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
    return found;
  };
  const promptTable = (upstreams: UpstreamHandle[], prompts: Map<string, Prompt[]>) =>
    buildNameTable(
      upstreams.map((u) => ({
        server: u.server,
        ...(u.toolPrefix !== undefined ? { toolPrefix: u.toolPrefix } : {}),
        tools: (prompts.get(u.server) ?? []).map((p) => ({ ...p, inputSchema: { type: 'object' as const } })),
      })),
    );
  const fetchPrompts = async (upstreams: UpstreamHandle[], signal: AbortSignal) => {
    const byServer = new Map<string, Prompt[]>();
    await Promise.all(
      upstreams.map(async (u) =>
        byServer.set(u.server, await allPages<Prompt>(u.client, 'prompts/list', 'prompts', signal)),
      ),
    );
    return { table: promptTable(upstreams, byServer), byServer };
  };
  const listPrompts = async (signal: AbortSignal) => {
    const { table, byServer } = await fetchPrompts(visible('prompts', 'prompts'), signal);
    return [...table.entries()].map((e) => {
      const original = (byServer.get(e.server) ?? []).find((p) => p.name === e.tool)!;
      return { ...original, name: e.exposedName };
    });
  };
  // Names resolve over every upstream with prompts, so a denied one is refused by the policy, not reported unknown.
  const promptUpstream = async (name: string, signal: AbortSignal) => {
    const all = supporting('prompts');
    const entry = (await fetchPrompts(all, signal)).table.resolve(name);
    const u = entry && all.find((x) => x.server === entry.server);
    if (!entry || !u) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
    return { u, original: entry.tool };
  };

  server.setRequestHandler(ListResourcesRequestSchema, async (_req, extra) => {
    const upstreams = visible('resources', 'resources');
    const lists = await Promise.all(
      upstreams.map(async (u) => ({
        u,
        items: await allPages<Resource>(u.client, 'resources/list', 'resources', extra.signal),
      })),
    );
    const colliding = routes.setResources(
      lists.flatMap(({ u, items }) => items.map((r) => ({ server: u.server, uri: r.uri }))),
    );
    return { resources: lists.flatMap(({ items }) => items).filter((r) => !colliding.has(r.uri)) };
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (_req, extra) => {
    const upstreams = visible('resources', 'resources');
    const lists = await Promise.all(
      upstreams.map(async (u) => ({
        u,
        items: await allPages<ResourceTemplate>(
          u.client,
          'resources/templates/list',
          'resourceTemplates',
          extra.signal,
        ),
      })),
    );
    routes.setTemplates(
      lists.flatMap(({ u, items }) => items.map((t) => ({ server: u.server, uriTemplate: t.uriTemplate }))),
    );
    return { resourceTemplates: lists.flatMap(({ items }) => items) };
  });
  server.setRequestHandler(ReadResourceRequestSchema, async (req, extra) => {
    const u = resourceUpstream(req.params.uri);
    return guard(u, 'resources', 'resources/read', req.params.uri, req.params, extra.signal, () =>
      u.client.request({ method: 'resources/read', params: req.params }, Loose, { signal: extra.signal }),
    );
  });
  server.setRequestHandler(SubscribeRequestSchema, async (req, extra) => {
    const u = resourceUpstream(req.params.uri);
    await guard<unknown>(
      u,
      'resources',
      'resources/subscribe',
      req.params.uri,
      req.params,
      extra.signal,
      () =>
        u.dedicated
          ? u.client.request({ method: 'resources/subscribe', params: req.params }, Loose, {
              signal: extra.signal,
            })
          : deps.subscriptions.subscribe(session.id(), req.params.uri, u.server),
    );
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (req, extra) => {
    const u = supporting('resources').find(
      (x) => x.dedicated && x.server === resourceUpstreamName(req.params.uri),
    );
    if (u)
      await u.client.request({ method: 'resources/unsubscribe', params: req.params }, Loose, {
        signal: extra.signal,
      });
    else await deps.subscriptions.unsubscribe(session.id(), req.params.uri);
    return {};
  });
  server.setRequestHandler(ListPromptsRequestSchema, async (_req, extra) => ({
    prompts: await listPrompts(extra.signal),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (req, extra) => {
    const { u, original } = await promptUpstream(req.params.name, extra.signal);
    return guard(u, 'prompts', 'prompts/get', req.params.name, req.params, extra.signal, () =>
      u.client.request({ method: 'prompts/get', params: { ...req.params, name: original } }, Loose, {
        signal: extra.signal,
      }),
    );
  });
  server.setRequestHandler(CompleteRequestSchema, async (req, extra) => {
    const ref = req.params.ref;
    const target =
      ref.type === 'ref/prompt'
        ? await promptUpstream(ref.name, extra.signal)
        : { u: resourceUpstream(ref.uri), original: undefined };
    const label = ref.type === 'ref/prompt' ? ref.name : ref.uri;
    const params =
      ref.type === 'ref/prompt' ? { ...req.params, ref: { ...ref, name: target.original } } : req.params;
    return guard(target.u, 'completion', 'completion/complete', label, req.params, extra.signal, () =>
      target.u.client.request({ method: 'completion/complete', params }, Loose, { signal: extra.signal }),
    );
  });
  server.setRequestHandler(SetLevelRequestSchema, async (req, extra) => {
    // Upstreams are shared by every session: the level applies to their log messages for everyone.
    await Promise.all(
      supporting('logging').map((u) =>
        u.client
          .request({ method: 'logging/setLevel', params: req.params }, Loose, { signal: extra.signal })
          .catch(() => undefined),
      ),
    );
    return {};
  });
}
