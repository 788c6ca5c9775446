// Resources of the upstreams for one client session, under the policy: lists merged (a URI two servers claim is
// hidden), each read or subscription routed to the one server that holds the URI and guarded as a capability use.
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type Resource,
  type ResourceTemplate,
} from '@modelcontextprotocol/sdk/types.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { sessionRoute, type SessionRoute } from '../front/client-session.js';
import { allPages, Loose, type RelayContext, type UpstreamHandle } from './relay-context.js';

function templateMatches(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false; // a template the SDK cannot read (too long, malformed) matches nothing
  }
}

/** Which upstreams hold which resource URIs and templates, as last listed for a session. */
class ResourceMap {
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

  sessionRoute(uri: string, withResources: string[]): string | undefined {
    const known = this.byUri.get(uri);
    if (known) return known;
    const matching = new Set(
      this.templates.filter((t) => templateMatches(t.uriTemplate, uri)).map((t) => t.server),
    );
    if (matching.size === 1) return [...matching][0];
    return withResources.length === 1 ? withResources[0] : undefined;
  }
}

/** The upstream that holds a resource URI for this session. */
export type ResourceFinder = (uri: string) => UpstreamHandle;

export function resourceRoutes(ctx: RelayContext): {
  routes: [string, SessionRoute][];
  find: ResourceFinder;
} {
  const map = new ResourceMap();
  const find: ResourceFinder = (uri) => {
    const candidates = ctx.supporting('resources');
    const name = map.sessionRoute(
      uri,
      candidates.map((u) => u.server),
    );
    const found = candidates.find((u) => u.server === name);
    if (!found) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
    return found;
  };
  const listEach = <T>(method: string, key: string, signal: AbortSignal) =>
    Promise.all(
      ctx.visible('resources', 'resources').map(async (u) => ({
        u,
        items: await allPages<T>(u.client, method, key, signal),
      })),
    );
  const routes: [string, SessionRoute][] = [
    [
      'resources/list',
      sessionRoute(ListResourcesRequestSchema, async (_req, { signal }) => {
        const lists = await listEach<Resource>('resources/list', 'resources', signal);
        const colliding = map.setResources(
          lists.flatMap(({ u, items }) => items.map((r) => ({ server: u.server, uri: r.uri }))),
        );
        return { resources: lists.flatMap(({ items }) => items).filter((r) => !colliding.has(r.uri)) };
      }),
    ],
    [
      'resources/templates/list',
      sessionRoute(ListResourceTemplatesRequestSchema, async (_req, { signal }) => {
        const lists = await listEach<ResourceTemplate>(
          'resources/templates/list',
          'resourceTemplates',
          signal,
        );
        map.setTemplates(
          lists.flatMap(({ u, items }) =>
            items.map((t) => ({ server: u.server, uriTemplate: t.uriTemplate })),
          ),
        );
        return { resourceTemplates: lists.flatMap(({ items }) => items) };
      }),
    ],
    [
      'resources/read',
      sessionRoute(ReadResourceRequestSchema, (req, { signal }) => {
        const u = find(req.params.uri);
        const use = { capability: 'resources' as const, method: 'resources/read', target: req.params.uri };
        return ctx.guard(u, { ...use, params: req.params, signal }, () =>
          u.client.request({ method: 'resources/read', params: req.params }, Loose, { signal }),
        );
      }),
    ],
    [
      'resources/subscribe',
      sessionRoute(SubscribeRequestSchema, async (req, { signal }) => {
        const u = find(req.params.uri);
        const use = {
          capability: 'resources' as const,
          method: 'resources/subscribe',
          target: req.params.uri,
        };
        await ctx.guard<unknown>(u, { ...use, params: req.params, signal }, () =>
          u.dedicated
            ? u.client.request({ method: 'resources/subscribe', params: req.params }, Loose, { signal })
            : ctx.subscriptions.subscribe(ctx.session.id, req.params.uri, u.server),
        );
        return {};
      }),
    ],
    [
      'resources/unsubscribe',
      sessionRoute(UnsubscribeRequestSchema, async (req, { signal }) => {
        const holder = map.sessionRoute(
          req.params.uri,
          ctx.supporting('resources').map((u) => u.server),
        );
        const u = ctx.supporting('resources').find((x) => x.dedicated && x.server === holder);
        if (u)
          await u.client.request({ method: 'resources/unsubscribe', params: req.params }, Loose, { signal });
        else await ctx.subscriptions.unsubscribe(ctx.session.id, req.params.uri);
        return {};
      }),
    ],
  ];
  return { routes, find };
}
