// The upstreams as the gateway's routes see them: the shared connections (UpstreamManager) and the per-session
// instances of `sessionUpstreams` servers, the requests the upstreams send back (sampling, elicitation, roots) routed
// to the client whose call caused them, their notifications relayed, and their resource subscriptions shared.
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  EmptyResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServersFile, UpstreamStatus } from '../../../shared/servers.js';
import type { CapabilityUse } from '../calls/capability-guard.js';
import type { ResolvedCall } from '../calls/call-run.js';
import type { ForwardOptions, ToolCallResult } from '../calls/tool-call.js';
import type { ClientSession } from '../front/client-session.js';
import type { McpSessions } from '../front/mcp-sessions.js';
import { passNotification, passOwnNotification, type LogAudience } from '../relay/notifications.js';
import type { UpstreamHandle } from '../relay/relay-context.js';
import { rootsOf } from '../relay/roots.js';
import { SubscriptionBook } from '../relay/subscriptions.js';
import type { TaskBook, TaskEntry } from '../relay/task-book.js';
import { InFlightCalls, routeToClient, type RouteDeps } from '../relay/upstream-requests.js';
import type { UpstreamClient, UpstreamRequestHandlers } from '../upstream/client.js';
import { UpstreamManager } from '../upstream/manager.js';
import { SessionUpstreams } from '../upstream/session-upstreams.js';

export interface UpstreamsDeps {
  servers: () => ServersFile;
  sessions: () => McpSessions;
  tasks: TaskBook;
  /** Who hears each server's log messages: the sessions whose grant may use it. */
  logAudience: LogAudience;
  /** The policy guard of a capability use (sampling and elicitation requests pass it too). */
  guard: <T>(use: CapabilityUse, forward: () => Promise<T>) => Promise<T>;
  /** The upstreams' tools changed (listed, re-listed, gone). */
  onTools: () => void;
  onStatus: (status: UpstreamStatus) => void;
  diagnostics: (line: string) => void;
}

export class Upstreams {
  readonly manager: UpstreamManager;
  /** The tools/calls in flight per upstream: where an upstream's own request goes back to. */
  readonly inFlight = new InFlightCalls();
  readonly subscriptions: SubscriptionBook;
  private readonly perSession: SessionUpstreams;

  constructor(private readonly deps: UpstreamsDeps) {
    const route: RouteDeps = {
      inFlight: this.inFlight,
      sessionOf: (session) => deps.sessions().get(session),
      guard: deps.guard,
    };
    const handlers = (owner?: { session: string; grant: string }): UpstreamRequestHandlers => ({
      listRoots: (server) => rootsOf(deps.servers().mcpServers[server]),
      createMessage: (server, request, signal) =>
        routeToClient(route, server, 'sampling', request, CreateMessageResultSchema, signal, owner),
      elicit: (server, request, signal) =>
        routeToClient(route, server, 'elicitation', request, ElicitResultSchema, signal, owner),
    });
    this.manager = new UpstreamManager({
      servers: deps.servers(),
      diagnostics: deps.diagnostics,
      handlers: handlers(),
    });
    this.subscriptions = new SubscriptionBook(async (server, uri, subscribe) => {
      await this.manager
        .getClient(server)
        ?.request(
          { method: subscribe ? 'resources/subscribe' : 'resources/unsubscribe', params: { uri } },
          EmptyResultSchema,
        );
    });
    this.manager.on('notification', (server, notification) =>
      passNotification(
        deps.sessions(),
        { subscriptions: this.subscriptions, tasks: deps.tasks, audience: deps.logAudience },
        server,
        notification,
      ),
    );
    this.manager.on('tools', deps.onTools);
    this.manager.on('status', deps.onStatus);
    this.perSession = new SessionUpstreams({
      manager: () => this.manager,
      servers: deps.servers,
      hooksFor: (session, grant) => ({
        handlers: handlers({ session, grant }),
        onNotification: (server, notification) =>
          passOwnNotification(deps.sessions(), deps.tasks, session, server, notification, deps.logAudience),
      }),
      live: (session) => deps.sessions().get(session) !== undefined,
      diagnostics: deps.diagnostics,
    });
  }

  /** A tools/call leaves here: to the shared connection, or to the session's own instance of its server. */
  async forward(
    call: ResolvedCall,
    args: Record<string, unknown>,
    opts: ForwardOptions,
  ): Promise<ToolCallResult> {
    // The client's trace context goes to the upstream unchanged (the SDK adds a progress token beside it).
    const options = call.trace ? { ...opts, meta: { ...call.trace } } : opts;
    if (!this.perSession.isDedicated(call.server)) {
      return this.manager.callTool(call.server, call.tool, args, options);
    }
    const own = await this.perSession.get(call.session, call.grant, call.server);
    return own.callTool(call.tool, args, options);
  }

  /**
   * The upstreams a session talks to: the shared ones, and its own instances of sessionUpstreams servers; for a
   * session scoped to one server, that server alone, its prompts under their own names.
   */
  handles(session: { id: string; scope: string | undefined }): UpstreamHandle[] {
    const handles: UpstreamHandle[] = [];
    for (const listing of this.manager.tools()) {
      if (session.scope !== undefined && listing.server !== session.scope) continue;
      const dedicated = this.perSession.isDedicated(listing.server);
      const client = dedicated
        ? this.perSession.readyFor(session.id, listing.server)?.client
        : this.manager.getClient(listing.server);
      if (!client) continue;
      const toolPrefix = session.scope !== undefined ? '' : listing.toolPrefix;
      handles.push({
        server: listing.server,
        client,
        ...(toolPrefix !== undefined ? { toolPrefix } : {}),
        ...(dedicated ? { dedicated: true } : {}),
      });
    }
    return handles;
  }

  /** The client that holds a task: the shared one, or the creating session's own instance. */
  clientOfTask(task: TaskEntry): UpstreamClient | undefined {
    return this.handles({ id: task.session, scope: undefined }).find((h) => h.server === task.server)?.client;
  }

  /** A sessionUpstreams server starts its instance for a new session right away, so its lists are there at once. */
  sessionOpened(session: ClientSession): void {
    this.deps.logAudience.join(session);
    for (const server of this.perSession.dedicatedServers()) {
      this.perSession
        .get(session.id, session.grant, server)
        .catch((err: Error) => this.deps.diagnostics(`session ${session.id}: ${err.message}`));
    }
  }

  sessionClosed(sessionId: string): void {
    this.deps.logAudience.leave(sessionId);
    void this.subscriptions.dropSession(sessionId);
    void this.perSession.closeSession(sessionId);
  }

  start(): void {
    this.manager.start();
  }

  update(servers: ServersFile): void {
    void this.manager.update(servers);
  }

  stop(): Promise<void> {
    return this.manager.stop();
  }
}
