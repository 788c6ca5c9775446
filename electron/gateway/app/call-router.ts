// The tools of a client session: tools/list (what its grant may call) and tools/call, resolved through the name
// table to exactly one (server, tool) and run through the call pipeline (calls/tool-call.ts) — at once, or as a
// task whose decision and forward follow behind it. Every call in flight is tracked: where the upstream's own
// requests go back to, and what stop() waits for.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  couldNotComplete,
  isTaskCreation,
  runToolCall,
  type ToolCallDeps,
  type ToolCallResult,
} from '../calls/tool-call.js';
import type { ResolvedCall, TraceContext } from '../calls/call-run.js';
import { unknownTool } from '../front/mcp-sessions.js';
import { sessionRoute, type SessionExtra, type SessionRoute } from '../front/client-session.js';
import type { NameTable } from '../names/name-table.js';
import { effectiveToolAction } from '../policy/decide.js';
import type { PolicyHolder } from '../policy/holder.js';
import type { TaskBook } from '../relay/task-book.js';
import type { InFlightCalls } from '../relay/upstream-requests.js';
import { parseCallToolRequest } from '../rpc/message-shapes.js';

export interface CallRouterDeps {
  names: () => NameTable;
  policy: PolicyHolder;
  calls: ToolCallDeps;
  tasks: TaskBook;
  inFlight: InFlightCalls;
}

type CallParams = ReturnType<typeof CallToolRequestSchema.parse>['params'];
/** The W3C trace context of a call's `_meta` (strings only), to pass on to the upstream as it came. */
function traceOf(meta: Record<string, unknown> | undefined): { trace?: TraceContext } {
  const { traceparent, tracestate } = meta ?? {};
  if (typeof traceparent !== 'string') return {};
  return { trace: { traceparent, ...(typeof tracestate === 'string' ? { tracestate } : {}) } };
}

/** A call that came in as a client's request (so an upstream's question about it can go back on its stream). */
type RoutedCall = ResolvedCall & { requestId: string | number };

export class CallRouter {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: CallRouterDeps) {}

  routes(): [string, SessionRoute][] {
    return [
      [
        'tools/list',
        sessionRoute(ListToolsRequestSchema, (_req, { session }) => ({
          tools: this.listTools(session.grant, session.scope),
        })),
      ],
      [
        'tools/call',
        sessionRoute({ safeParse: parseCallToolRequest }, (req, extra) => this.call(req.params, extra)),
      ],
    ];
  }

  /** The tools a grant may call; a session scoped to one server sees only that server's, under their own names. */
  listTools(grant: string, scope: string | undefined): Tool[] {
    const { compiled } = this.deps.policy.get();
    const tools: Tool[] = [];
    for (const entry of this.deps.names().entries()) {
      if (scope !== undefined && entry.server !== scope) continue;
      if (effectiveToolAction(grant, entry.server, entry.tool, compiled) === 'deny') continue;
      tools.push({ ...entry.definition, name: scope === undefined ? entry.exposedName : entry.tool });
    }
    return tools;
  }

  private call(params: CallParams, extra: SessionExtra): Promise<ToolCallResult> | ToolCallResult {
    const { session } = extra;
    const names = this.deps.names();
    const entry =
      session.scope === undefined ? names.resolve(params.name) : names.original(session.scope, params.name);
    if (!entry) throw unknownTool(params.name);
    const call: RoutedCall = {
      grant: session.grant,
      session: session.id,
      exposedName: entry.exposedName,
      server: entry.server,
      tool: entry.tool,
      requestId: extra.requestId,
      ...traceOf(params._meta),
    };
    if (params.task) return this.callAsTask(call, params.arguments, params.task);
    const progressToken = params._meta?.progressToken;
    if (progressToken === undefined) {
      return this.tracked(
        call,
        runToolCall(this.deps.calls, call, params.arguments, { signal: extra.signal }),
      );
    }
    // Every progress notification is sent before the result (FACTS.md: the last one can otherwise be lost).
    let progress: Promise<unknown> = Promise.resolve();
    const onProgress = (p: { progress: number; total?: number; message?: string }) =>
      (progress = progress
        .then(() => extra.notify({ method: 'notifications/progress', params: { progressToken, ...p } }))
        .catch(() => undefined));
    const running = runToolCall(this.deps.calls, call, params.arguments, {
      signal: extra.signal,
      onProgress,
    }).then(async (result) => {
      await progress;
      return result;
    });
    return this.tracked(call, running);
  }

  /**
   * A call run as a task: the client gets Gatehouse's task at once; the decision (a person may have to approve),
   * the forward and the upstream's task follow behind it. A cancelled task's call is never run.
   */
  private callAsTask(
    call: RoutedCall,
    args: Record<string, unknown> | undefined,
    requested: Record<string, unknown>,
  ): ToolCallResult {
    const held = this.deps.tasks.hold(
      { grant: call.grant, session: call.session, server: call.server },
      requested,
    );
    const running = runToolCall(this.deps.calls, { ...call, taskId: held.id }, args, {
      signal: held.signal,
      task: requested,
    });
    void this.tracked(call, running).then(
      // The upstream's task was attached as it was created; any other answer ends Gatehouse's task.
      (result) => (isTaskCreation(result) ? undefined : this.deps.tasks.settle(held.id, result)),
      // A JSON-RPC error of the upstream: the task fails with it in words.
      (err: unknown) => this.deps.tasks.settle(held.id, couldNotComplete(call.exposedName, err)),
    );
    return held.created;
  }

  /** A call in flight: known to its upstream's request routing, and waited for at stop. */
  private tracked<T>(call: RoutedCall, running: Promise<T>): Promise<T> {
    const untrack = this.deps.inFlight.track(call.server, {
      session: call.session,
      grant: call.grant,
      requestId: call.requestId,
    });
    this.running.add(running);
    void running
      .finally(() => {
        untrack();
        this.running.delete(running);
      })
      .catch(() => undefined);
    return running;
  }

  /** Waits (at most `ms`) for the calls in flight to end; true when there were any. */
  async settle(ms: number): Promise<boolean> {
    if (this.running.size === 0) return false;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, ms))]);
    return true;
  }
}
