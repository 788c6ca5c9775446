// Prompts of the upstreams for one client session, under the policy: exposed under names like tools
// (`<server>__<prompt>`, or their own in a session scoped to one server), each get guarded as a capability use; and
// completion, which refers to a prompt or a resource.
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  McpError,
  type Prompt,
} from '@modelcontextprotocol/sdk/types.js';
import { sessionRoute, type SessionRoute } from '../front/client-session.js';
import { buildNameTable } from '../names/name-table.js';
import { allPages, Loose, type RelayContext, type UpstreamHandle } from './relay-context.js';
import type { ResourceFinder } from './resources.js';

async function fetchPrompts(upstreams: UpstreamHandle[], signal: AbortSignal) {
  const byServer = new Map<string, Prompt[]>();
  await Promise.all(
    upstreams.map(async (u) =>
      byServer.set(u.server, await allPages<Prompt>(u.client, 'prompts/list', 'prompts', signal)),
    ),
  );
  const table = buildNameTable(
    upstreams.map((u) => ({
      server: u.server,
      ...(u.toolPrefix !== undefined ? { toolPrefix: u.toolPrefix } : {}),
      tools: (byServer.get(u.server) ?? []).map((p) => ({ ...p, inputSchema: { type: 'object' as const } })),
    })),
  );
  return { table, byServer };
}

export function promptRoutes(ctx: RelayContext, findResource: ResourceFinder): [string, SessionRoute][] {
  // Names resolve over every upstream with prompts, so a denied one is refused by the policy, not reported unknown.
  const promptUpstream = async (name: string, signal: AbortSignal) => {
    const all = ctx.supporting('prompts');
    const entry = (await fetchPrompts(all, signal)).table.resolve(name);
    const u = entry && all.find((x) => x.server === entry.server);
    if (!entry || !u) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
    return { u, original: entry.tool };
  };
  return [
    [
      'prompts/list',
      sessionRoute(ListPromptsRequestSchema, async (_req, { signal }) => {
        const { table, byServer } = await fetchPrompts(ctx.visible('prompts', 'prompts'), signal);
        const prompts = [...table.entries()].map((e) => {
          const original = (byServer.get(e.server) ?? []).find((p) => p.name === e.tool)!;
          return { ...original, name: e.exposedName };
        });
        return { prompts };
      }),
    ],
    [
      'prompts/get',
      sessionRoute(GetPromptRequestSchema, async (req, { signal }) => {
        const { u, original } = await promptUpstream(req.params.name, signal);
        const use = { capability: 'prompts' as const, method: 'prompts/get', target: req.params.name };
        return ctx.guard(u, { ...use, params: req.params, signal }, () =>
          u.client.request({ method: 'prompts/get', params: { ...req.params, name: original } }, Loose, {
            signal,
          }),
        );
      }),
    ],
    [
      'completion/complete',
      sessionRoute(CompleteRequestSchema, async (req, { signal }) => {
        const ref = req.params.ref;
        const target =
          ref.type === 'ref/prompt'
            ? await promptUpstream(ref.name, signal)
            : { u: findResource(ref.uri), original: undefined };
        const label = ref.type === 'ref/prompt' ? ref.name : ref.uri;
        const params =
          ref.type === 'ref/prompt' ? { ...req.params, ref: { ...ref, name: target.original } } : req.params;
        const use = { capability: 'completion' as const, method: 'completion/complete', target: label };
        return ctx.guard(target.u, { ...use, params: req.params, signal }, () =>
          target.u.client.request({ method: 'completion/complete', params }, Loose, { signal }),
        );
      }),
    ],
  ];
}
