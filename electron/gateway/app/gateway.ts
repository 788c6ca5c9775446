// The gateway: composes home, policy, grants, upstreams, the call log and the front door; start() and stop().
// Plain Node — the CLI, the Electron shell and the tests all build it here.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateTaskResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Settings } from '../../../shared/settings.js';
import type { ServersFile, UpstreamStatus } from '../../../shared/servers.js';
import { ensureHome, loadServers, loadSettings } from '../home/index.js';
import { homePaths, type HomePaths } from '../home/paths.js';
import { acquireHomeLock } from '../home/lock.js';
import { removeRuntime, runtimeInfoFor, writeRuntime, type RuntimeInfo } from '../home/runtime.js';
import { readGrants, safeEqual, type GrantEntry } from '../grants/store.js';
import { CallLog } from '../log/call-log.js';
import { pruneOldLogs } from '../log/retention.js';
import { CounterStore } from '../policy/counters.js';
import { effectiveToolAction } from '../policy/decide.js';
import { UpstreamManager } from '../upstream/manager.js';
import { buildNameTable, type NameTable } from '../names/name-table.js';
import { createHttpApp } from './http-app.js';
import { McpSessions, unknownTool } from '../front/mcp-sessions.js';
import { ConfigWatcher } from './config-watch.js';
import { GATEHOUSE_VERSION } from '../rpc/server-info.js';
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  EmptyResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { capabilityAction, guardCapability, type CapabilityUse } from '../calls/capability-guard.js';
import { registerPassthrough, SubscriptionBook, type UpstreamHandle } from '../relay/passthrough.js';
import { InFlightCalls, routeToClient, type RouteDeps } from '../relay/upstream-requests.js';
import { SessionUpstreams } from '../upstream/session-upstreams.js';
import { rootsOf } from '../relay/roots.js';
import { ToolPins } from '../state/pins.js';
import { decidingRule, describeTool, longestWindowMs } from '../calls/tool-info.js';
import { passNotification, passOwnNotification } from '../relay/notifications.js';
import { registerTasks, TaskBook } from '../relay/tasks.js';
import path from 'node:path';
import { ApprovalService } from '../approvals/service.js';
import { tripwireReason } from '../approvals/tripwire.js';
import { createControlHandlers, type ControlContext } from '../control/handlers.js';
import { createControlRouter } from '../control/http-adapter.js';
import { EventHub } from '../control/event-hub.js';
import { DashboardLogins } from '../control/logins.js';
import { bearerToken } from '../front/request-guard.js';
import { rebuildCounters } from '../state/counter-rebuild.js';
import { createDiagnostics } from './diagnostics.js';
import { readPause, writePause } from '../state/pause.js';
import { PolicyHolder, loadPolicyFile } from '../policy/holder.js';
import {
  couldNotComplete,
  isTaskCreation,
  runToolCall,
  type ResolvedCall,
  type ToolCallDeps,
} from '../calls/tool-call.js';

export interface GatewayOptions {
  home: string;
  /** Overrides settings.json's port; 0 picks a free port. */
  port?: number;
  policyFile?: string;
  /** The built dashboard to serve at / (dist/renderer). */
  dashboardDir?: string;
  diagnostics?: (line: string) => void;
  clock?: () => number;
}

export class PortBusyError extends Error {
  constructor(readonly port: number) {
    super(
      `port ${port} on 127.0.0.1 is already in use; stop what uses it, or choose another port with --port N (or "port" in settings.json)`,
    );
  }
}

export class Gateway {
  readonly paths: HomePaths;
  private settings!: Settings;
  private policy!: PolicyHolder;
  private readonly counters = new CounterStore();
  private log!: CallLog;
  private upstreams!: UpstreamManager;
  private names: NameTable = buildNameTable([]);
  private sessions!: McpSessions;
  private grants: GrantEntry[] = [];
  private httpServer: http.Server | undefined;
  private releaseLock: (() => void) | undefined;
  private watcher: ConfigWatcher | undefined;
  private readonly adminToken = crypto.randomBytes(32).toString('base64url');
  private readonly diagnostics: (line: string) => void;
  private readonly clock: () => number;
  private stopping: Promise<void> | undefined;
  private toolCallDeps!: ToolCallDeps;
  private paused = false;
  private approvals!: ApprovalService;
  private pins!: ToolPins;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly inFlightByServer = new InFlightCalls();
  private readonly sessionUpstreams: SessionUpstreams = new SessionUpstreams({
    manager: () => this.upstreams,
    servers: () => this.currentServers,
    hooksFor: (session, grant) => ({
      handlers: {
        listRoots: (server) => rootsOf(this.currentServers.mcpServers[server]),
        createMessage: (server, request, signal) =>
          routeToClient(this.routeDeps(), server, 'sampling', request, CreateMessageResultSchema, signal, {
            session,
            grant,
          }),
        elicit: (server, request, signal) =>
          routeToClient(this.routeDeps(), server, 'elicitation', request, ElicitResultSchema, signal, {
            session,
            grant,
          }),
      },
      onNotification: (server, notification) =>
        passOwnNotification(this.sessions, this.tasks, session, server, notification),
    }),
    diagnostics: (line) => this.diagnostics(line),
  });
  private currentServers: ServersFile = { mcpServers: {} };
  private readonly subscriptions = new SubscriptionBook(async (server, uri, subscribe) => {
    await this.upstreams
      .getClient(server)
      ?.request(
        { method: subscribe ? 'resources/subscribe' : 'resources/unsubscribe', params: { uri } },
        EmptyResultSchema,
      );
  });
  private retentionTimer: NodeJS.Timeout | undefined;
  readonly events = new EventHub();
  private readonly logins: DashboardLogins;
  private readonly tasks: TaskBook;
  runtime: RuntimeInfo | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.paths = homePaths(options.home, options.policyFile);
    this.diagnostics =
      options.diagnostics ?? createDiagnostics(this.paths.diagnostics, (text) => process.stderr.write(text));
    this.clock = options.clock ?? Date.now;
    this.logins = new DashboardLogins(this.clock);
    this.tasks = new TaskBook(this.clock, () => crypto.randomUUID());
  }

  /** A fresh one-time login URL for the dashboard. */
  newLoginUrl(): string {
    if (!this.runtime) throw new Error('the gateway is not serving yet');
    return `http://127.0.0.1:${this.runtime.port}/#login=${this.logins.newCode()}`;
  }

  async start(): Promise<RuntimeInfo> {
    for (const warning of ensureHome(this.paths)) this.diagnostics(`warning: ${warning}`);
    this.settings = loadSettings(this.paths);
    this.policy = new PolicyHolder(loadPolicyFile(this.paths.policy));
    const servers = loadServers(this.paths);
    this.currentServers = servers;
    this.grants = readGrants(this.paths.grants);
    this.releaseLock = acquireHomeLock(this.paths.lock, this.paths.home);
    try {
      this.log = new CallLog(this.paths.logs, () => this.settings.logArgumentValues);
      this.pins = new ToolPins(path.join(this.paths.state, 'pins.json'), this.diagnostics);
      this.approvals = new ApprovalService({
        clock: this.clock,
        stateFile: path.join(this.paths.state, 'approvals.json'),
        policyFile: this.paths.policy,
        decidingRule: (grant, server, tool) => decidingRule(this.policy.get(), grant, server, tool),
        reloadPolicy: () => this.reloadPolicy(),
        onPending: (approval) => this.events.emit('approval', { state: 'pending', approval }),
        onResolved: (approval, outcome) =>
          this.events.emit('approval', { state: 'resolved', approval, outcome }),
        diagnostics: this.diagnostics,
      });
      this.toolCallDeps = this.buildToolCallDeps();
      this.paused = readPause(this.paths.pause).paused;
      if (this.paused)
        this.diagnostics(`paused (since an earlier run): calls go to ${this.settings.pauseMode}`);
      this.pruneLogs();
      this.retentionTimer = setInterval(() => this.pruneLogs(), 6 * 3_600_000);
      this.retentionTimer.unref();
      const restored = rebuildCounters(
        this.paths.logs,
        this.counters,
        this.clock(),
        longestWindowMs(this.policy.get()),
      );
      if (restored > 0) this.diagnostics(`rate limits: restored ${restored} charges from the call log`);
      this.sessions = new McpSessions({
        serverInfo: { name: 'gatehouse', version: GATEHOUSE_VERSION },
        listTools: (grant, scope) => this.listTools(grant, scope),
        callTool: (ctx, args, extra) => this.callTool(ctx, args, extra),
        setup: (server, session) => {
          registerPassthrough(server, session, {
            upstreams: () => this.upstreamHandles(session.id(), session.scope),
            guard: (use, forward) => guardCapability(this.toolCallDeps, use, forward),
            capabilityAction: (srv, capability, grant) =>
              capabilityAction(this.toolCallDeps, srv, capability, grant),
            subscriptions: this.subscriptions,
          });
          registerTasks(server, session, {
            book: this.tasks,
            clientOf: (task) =>
              this.upstreamHandles(task.session).find((h) => h.server === task.server)?.client,
            track: (srv, call) => this.inFlightByServer.track(srv, call),
          });
        },
        // A sessionUpstreams server starts its instance for this session right away, so its lists are there at once.
        opened: (id, grant) => {
          for (const server of this.sessionUpstreams.dedicatedServers()) {
            this.sessionUpstreams
              .get(id, grant, server)
              .catch((err: Error) => this.diagnostics(`session ${id}: ${err.message}`));
          }
        },
        closed: (id) => {
          void this.subscriptions.dropSession(id);
          void this.sessionUpstreams.closeSession(id);
        },
        diagnostics: this.diagnostics,
      });
      const route = this.routeDeps();
      this.upstreams = new UpstreamManager({
        servers,
        diagnostics: this.diagnostics,
        handlers: {
          listRoots: (server) => rootsOf(this.currentServers.mcpServers[server]),
          createMessage: (server, request, signal) =>
            routeToClient(route, server, 'sampling', request, CreateMessageResultSchema, signal),
          elicit: (server, request, signal) =>
            routeToClient(route, server, 'elicitation', request, ElicitResultSchema, signal),
        },
      });
      this.upstreams.on('notification', (server, notification) =>
        passNotification(
          this.sessions,
          { subscriptions: this.subscriptions, tasks: this.tasks },
          server,
          notification,
        ),
      );
      this.upstreams.on('tools', () => this.rebuildNames());
      this.upstreams.on('status', (status) => this.events.emit('server', status));
      // The ready line waits for the port and the config watcher, not for the upstreams (they start right after).
      const watching = this.watchConfig();
      watching.catch(() => undefined); // awaited below; a failed listen must not leave it unhandled
      const port = await this.listen(this.options.port ?? this.settings.port);
      this.upstreams.start();
      await watching;
      this.runtime = runtimeInfoFor(port, this.adminToken);
      writeRuntime(this.paths.runtime, this.runtime);
      return this.runtime;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private listen(port: number): Promise<number> {
    const isAuthorized = (req: http.IncomingMessage) => {
      const token = bearerToken(req);
      return token !== undefined && (safeEqual(token, this.adminToken) || this.logins.isToken(token));
    };
    const app = createHttpApp({
      port: () => this.runtime?.port ?? port,
      auth: {
        adminToken: this.adminToken,
        grants: () => this.grants,
        reloadGrants: () => this.reloadGrants(),
      },
      sessions: this.sessions,
      diagnostics: this.diagnostics,
      control: {
        router: createControlRouter(
          createControlHandlers(this.controlContext()),
          isAuthorized,
          this.diagnostics,
        ),
        hub: this.events,
        isAuthorized,
      },
      ...(this.options.dashboardDir ? { dashboardDir: this.options.dashboardDir } : {}),
    });
    const server = http.createServer(app);
    server.keepAliveTimeout = 65_000;
    this.httpServer = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE' ? new PortBusyError(port) : err);
      });
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  }

  private controlContext(): ControlContext {
    return {
      paths: this.paths,
      policy: () => this.policy.get(),
      reloadPolicy: () => this.reloadPolicy(),
      names: () => this.names,
      counters: this.counters,
      clock: this.clock,
      sessionsOf: (grant) => this.sessions.countOf(grant),
      closeGrant: (grant) => this.sessions.closeGrant(grant),
      upstreamStatus: () => this.upstreams.status(),
      restartUpstream: (name) => this.upstreams.restart(name),
      reloadServers: () => this.reloadServers(),
      settings: () => this.settings,
      reloadSettings: () => this.reloadSettings(),
      isPaused: () => this.paused,
      setPaused: (paused) => this.setPaused(paused),
      newLoginUrl: () => this.newLoginUrl(),
      exchangeLoginCode: (code) => this.logins.exchange(code),
      pinOf: (server, tool) => this.pins.hashOf(server, tool),
      approvals: this.approvals,
    };
  }

  private reloadGrants(): GrantEntry[] {
    try {
      this.grants = readGrants(this.paths.grants);
    } catch (err) {
      this.diagnostics(
        `grants.json could not be read, keeping the grants in force: ${(err as Error).message}`,
      );
    }
    return this.grants;
  }

  private async watchConfig(): Promise<void> {
    this.watcher = new ConfigWatcher(
      [
        { path: this.paths.policy, onChange: (event) => this.reloadPolicy(event) },
        { path: this.paths.servers, onChange: () => this.reloadServers() },
        { path: this.paths.grants, onChange: () => this.onGrantsChanged() },
        { path: this.paths.settings, onChange: () => this.reloadSettings() },
      ],
      this.diagnostics,
    );
    await this.watcher.ready();
  }

  private onGrantsChanged(): void {
    const before = new Set(this.grants.map((g) => g.name));
    const after = new Set(this.reloadGrants().map((g) => g.name));
    for (const name of before) {
      if (!after.has(name)) void this.sessions.closeGrant(name);
    }
  }

  /** A valid policy applies at once; an invalid or deleted one leaves the last good policy in force, and says so. */
  reloadPolicy(event: 'change' | 'unlink' = 'change'): boolean {
    const current = this.policy.get();
    if (event === 'unlink') {
      this.diagnostics(
        `${this.paths.policy} was deleted; still enforcing the last good policy (version ${current.version})`,
      );
      return false;
    }
    let next;
    try {
      next = loadPolicyFile(this.paths.policy);
    } catch (err) {
      this.diagnostics(
        `${(err as Error).message}\nstill enforcing the last good policy (version ${current.version})`,
      );
      return false;
    }
    if (next.version === current.version) return true;
    this.policy.set(next);
    this.diagnostics(`policy reloaded: version ${next.version} (was ${current.version})`);
    this.events.emit('policy', { version: next.version });
    this.sessions.notifyToolsChanged();
    return true;
  }

  reloadSettings(): void {
    try {
      const next = loadSettings(this.paths);
      if (next.port !== this.settings.port) {
        this.diagnostics(`settings.json: the new port ${next.port} applies at the next start`);
      }
      this.settings = next;
      this.diagnostics('settings reloaded');
    } catch (err) {
      this.diagnostics(`${(err as Error).message}; keeping the settings in force`);
    }
  }

  reloadServers(): void {
    try {
      this.currentServers = loadServers(this.paths);
      void this.upstreams.update(this.currentServers);
    } catch (err) {
      this.diagnostics(`${(err as Error).message}; keeping the servers in force`);
    }
  }

  private rebuildNames(): void {
    const listings = this.upstreams.tools();
    for (const listing of listings) {
      const trusted = this.settings.trustedServers.includes(listing.server);
      for (const tool of listing.tools) this.pins.observe(listing.server, tool, trusted);
    }
    const table = buildNameTable(listings);
    for (const hidden of table.hidden) {
      if (!this.names.hidden.some((h) => h.server === hidden.server && h.tool === hidden.tool)) {
        this.diagnostics(`tool "${hidden.tool}" of server "${hidden.server}" is hidden: ${hidden.why}`);
      }
    }
    this.names = table;
    this.sessions.notifyToolsChanged();
    this.events.emit('tools', { count: [...table.entries()].length });
  }

  /** The tools a grant may call; a session scoped to one server sees only that server's, under their own names. */
  private listTools(grant: string, scope: string | undefined): Tool[] {
    const { compiled } = this.policy.get();
    const tools: Tool[] = [];
    for (const entry of this.names.entries()) {
      if (scope !== undefined && entry.server !== scope) continue;
      if (effectiveToolAction(grant, entry.server, entry.tool, compiled) === 'deny') continue;
      tools.push({ ...entry.definition, name: scope === undefined ? entry.exposedName : entry.tool });
    }
    return tools;
  }

  private callTool: ConstructorParameters<typeof McpSessions>[0]['callTool'] = (ctx, args, extra) => {
    const entry =
      ctx.scope === undefined ? this.names.resolve(ctx.name) : this.names.original(ctx.scope, ctx.name);
    if (!entry) throw unknownTool(ctx.name);
    const call: ResolvedCall = {
      grant: ctx.grant,
      session: ctx.session,
      exposedName: entry.exposedName,
      server: entry.server,
      tool: entry.tool,
      requestId: extra.requestId,
    };
    if (extra.task) return Promise.resolve(this.callAsTask(call, args, extra.task));
    let progress: Promise<unknown> = Promise.resolve();
    const running = runToolCall(this.toolCallDeps, call, args, {
      signal: extra.signal,
      ...(extra.sendProgress
        ? {
            onProgress: (p) =>
              (progress = progress.then(() => extra.sendProgress?.(p)).catch(() => undefined)),
          }
        : {}),
    }).then(async (result) => {
      // Every progress notification is sent before the result (FACTS.md: the last one can otherwise be lost).
      await progress;
      return result;
    });
    return this.tracked(call, running);
  };

  /**
   * A call run as a task: the client gets Gatehouse's task at once; the decision (a person may have to approve),
   * the forward and the upstream's task follow behind it. A cancelled task's call is never run.
   */
  private callAsTask(
    call: ResolvedCall,
    args: Record<string, unknown> | undefined,
    requested: Record<string, unknown>,
  ): CreateTaskResult {
    const held = this.tasks.hold(
      { grant: call.grant, session: call.session, server: call.server },
      requested,
    );
    const running = runToolCall(this.toolCallDeps, { ...call, taskId: held.id }, args, {
      signal: held.signal,
      task: requested,
    });
    void this.tracked(call, running).then(
      // The upstream's task was attached as it was created; any other answer ends Gatehouse's task.
      (result) => (isTaskCreation(result) ? undefined : this.tasks.settle(held.id, result)),
      // A JSON-RPC error of the upstream: the task fails with it in words.
      (err: unknown) => this.tasks.settle(held.id, couldNotComplete(call.exposedName, err)),
    );
    return held.created;
  }

  /** A call in flight: known to its upstream's request routing, and waited for at stop. */
  private tracked<T>(call: ResolvedCall, running: Promise<T>): Promise<T> {
    const untrack = this.inFlightByServer.track(call.server, {
      session: call.session,
      grant: call.grant,
      requestId: call.requestId!,
    });
    void running.finally(untrack).catch(() => undefined);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running)).catch(() => undefined);
    return running;
  }

  private buildToolCallDeps(): ToolCallDeps {
    return {
      policy: this.policy,
      counters: this.counters,
      log: this.log,
      settings: () => this.settings,
      paused: () => this.paused,
      forward: async (call, args, opts) =>
        this.sessionUpstreams.isDedicated(call.server)
          ? (await this.sessionUpstreams.get(call.session, call.grant, call.server)).callTool(
              call.tool,
              args,
              opts,
            )
          : this.upstreams.callTool(call.server, call.tool, args, opts),
      adoptTask: (call, created, finished) => this.tasks.attach(call.taskId!, created, finished),
      clock: this.clock,
      newId: () => crypto.randomUUID(),
      onRecord: (record) => this.events.emit('call', record),
      approvals: this.approvals,
      tripwire: (args) =>
        tripwireReason(args, { home: this.paths.home, port: this.runtime?.port ?? this.settings.port }),
      describeTool: (server, tool) => describeTool(this.names, server, tool),
      pinChange: (server, tool) => this.pins.changeOf(server, tool),
      acceptPin: (server, tool) => this.pins.accept(server, tool),
      clientOf: (session) => this.sessions.serverOf(session),
      diagnostics: this.diagnostics,
    };
  }

  /** Retention: day files older than logRetentionDays go; nothing else in logs/ is touched. */
  private pruneLogs(): void {
    try {
      const removed = pruneOldLogs(this.paths.logs, this.settings.logRetentionDays, new Date(this.clock()));
      if (removed.length > 0) this.diagnostics(`log retention: removed ${removed.join(', ')}`);
    } catch (err) {
      this.diagnostics(`log retention: ${(err as Error).message}`);
    }
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** The pause switch: kept in state/pause.json, so a restart does not quietly resume. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    writePause(this.paths.pause, { paused, since: new Date(this.clock()).toISOString() });
    this.paused = paused;
    this.diagnostics(
      paused ? `paused: every call goes to ${this.settings.pauseMode} until resumed` : 'resumed',
    );
  }

  private routeDeps(): RouteDeps {
    return {
      inFlight: this.inFlightByServer,
      serverOf: (session: string) => this.sessions.serverOf(session),
      guard: <T>(use: CapabilityUse, forward: () => Promise<T>) =>
        guardCapability(this.toolCallDeps, use, forward),
    };
  }

  /**
   * The upstreams a session talks to: the shared ones, and its own instances of sessionUpstreams servers; for a session
   * scoped to one server, that server alone, its prompts under their own names.
   */
  private upstreamHandles(session: string, scope?: string): UpstreamHandle[] {
    const handles: UpstreamHandle[] = [];
    for (const listing of this.upstreams.tools()) {
      if (scope !== undefined && listing.server !== scope) continue;
      const dedicated = this.sessionUpstreams.isDedicated(listing.server);
      const client = dedicated
        ? this.sessionUpstreams.readyFor(session, listing.server)?.client
        : this.upstreams.getClient(listing.server);
      if (client) {
        handles.push({
          server: listing.server,
          client,
          ...(scope !== undefined
            ? { toolPrefix: '' }
            : listing.toolPrefix !== undefined
              ? { toolPrefix: listing.toolPrefix }
              : {}),
          ...(dedicated ? { dedicated: true } : {}),
        });
      }
    }
    return handles;
  }

  upstreamStatus(): UpstreamStatus[] {
    return this.upstreams.status();
  }

  /** Stops serving: streams closed, children stopped, log closed, runtime.json removed. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    // Waiting calls are answered first, and their answers get a moment to reach the clients before streams close.
    this.approvals?.shutdown();
    clearInterval(this.retentionTimer);
    if (this.inFlight.size > 0) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 500))]);
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.watcher?.close();
    const server = this.httpServer;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await this.sessions?.closeAll();
    server?.closeAllConnections();
    await Promise.all([closed, this.upstreams?.stop()]);
    this.log?.close();
    if (this.runtime) removeRuntime(this.paths.runtime);
    this.releaseLock?.();
  }
}
