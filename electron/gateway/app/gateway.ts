// The gateway: the composition root the CLI, the Electron shell and the tests build. start() claims the home, builds
// the parts (parts.ts), serves the one port and starts the upstreams; stop() ends it all in order.
// Plain Node — it never imports electron.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { UpstreamStatus } from '../../../shared/servers.js';
import { newAdminToken, safeEqual } from '../grants/store.js';
import { ensureHome } from '../home/index.js';
import { acquireHomeLock } from '../home/lock.js';
import { homePaths, type HomePaths } from '../home/paths.js';
import { removeRuntime, runtimeInfoFor, writeRuntime, type RuntimeInfo } from '../home/runtime.js';
import { indexClosedDays } from '../log/log-indexer.js';
import { pruneOldLogs } from '../log/retention.js';
import { plural } from '../text/plural.js';
import { createControlHandlers, type ControlContext } from '../control/handlers.js';
import type { ControlHandlers } from '../control/operation-call.js';
import { createControlRouter } from '../control/http-adapter.js';
import { EventHub } from '../control/event-hub.js';
import { DashboardLogins } from '../control/logins.js';
import { bearerToken } from '../front/request-guard.js';
import { longestWindowMs } from '../calls/tool-info.js';
import { CounterCheckpointer } from '../state/counter-checkpoint.js';
import { describeRestore, restoreCounters } from '../state/counter-rebuild.js';
import { createDiagnostics } from './diagnostics.js';
import { createHttpApp } from './http-app.js';
import { assemble, type GatewayParts } from './parts.js';

export interface GatewayOptions {
  home: string;
  /** Overrides settings.json's port; 0 picks a free port. */
  port?: number;
  policyFile?: string;
  /** How a user creates a grant token from a terminal (told to MCP clients that come without one); default: the dashboard. */
  grantCommand?: string;
  /** The built dashboard to serve at / (dist/renderer). */
  dashboardDir?: string;
  diagnostics?: (line: string) => void;
  clock?: () => number;
}

class PortBusyError extends Error {
  constructor(readonly port: number) {
    super(
      `port ${port} on 127.0.0.1 is already in use; stop what uses it, or choose another port with --port N (or "port" in settings.json)`,
    );
  }
}

const RETENTION_EVERY_MS = 6 * 3_600_000;
/** How long stop() lets calls in flight finish (their approvals are answered first). */
const STOP_CALLS_MS = 500;

/** What exists only while the gateway runs. */
interface Running {
  parts: GatewayParts;
  server: http.Server;
  releaseLock: () => void;
  retention: NodeJS.Timeout;
  checkpoints: CounterCheckpointer | undefined;
}

export class Gateway {
  readonly paths: HomePaths;
  readonly events = new EventHub();
  private readonly diagnostics: (line: string) => void;
  private readonly clock: () => number;
  private readonly logins: DashboardLogins;
  private readonly adminToken = newAdminToken();
  private running: Running | undefined;
  /** The search index being built, while it is. */
  private indexing: Promise<void> | undefined;
  private handlers: ControlHandlers | undefined;
  private stopping: Promise<void> | undefined;
  runtime: RuntimeInfo | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.paths = homePaths(options.home, options.policyFile);
    this.diagnostics =
      options.diagnostics ?? createDiagnostics(this.paths.diagnostics, (text) => process.stderr.write(text));
    this.clock = options.clock ?? Date.now;
    this.logins = new DashboardLogins(this.clock);
  }

  /** A fresh one-time login URL for the dashboard. */
  newLoginUrl(): string {
    if (!this.runtime) throw new Error('the gateway is not serving yet');
    return `http://127.0.0.1:${this.runtime.port}/#login=${this.logins.newCode()}`;
  }

  /**
   * The control operations of the running gateway, for a face in this same process (the app's IPC adapter): the
   * very handlers the HTTP control API serves.
   */
  controlHandlers(): ControlHandlers {
    if (!this.handlers) throw new Error('the gateway is not serving yet');
    return this.handlers;
  }

  async start(): Promise<RuntimeInfo> {
    for (const warning of ensureHome(this.paths)) this.diagnostics(`warning: ${warning}`);
    const releaseLock = acquireHomeLock(this.paths.lock, this.paths.home);
    let parts: GatewayParts;
    try {
      parts = assemble({
        paths: this.paths,
        clock: this.clock,
        diagnostics: this.diagnostics,
        events: this.events,
        port: () => this.runtime?.port,
      });
    } catch (err) {
      releaseLock();
      throw err;
    }
    const server = http.createServer();
    const retention = setInterval(() => this.pruneLogs(parts), RETENTION_EVERY_MS).unref();
    const running: Running = { parts, server, releaseLock, retention, checkpoints: undefined };
    this.running = running;
    try {
      if (parts.pause.isPaused) {
        this.diagnostics(`paused (since an earlier run): calls go to ${parts.home.settings.pauseMode}`);
      }
      this.pruneLogs(parts);
      // Team mode: the team's policy (or nothing passes) before the first call can come in.
      await parts.policySource.configure();
      const checkpoint = path.join(this.paths.state, 'counters.json');
      const policyWindowMs = () => longestWindowMs(parts.home.policy.get());
      const restored = describeRestore(
        restoreCounters(checkpoint, this.paths.logs, parts.counters, this.clock(), policyWindowMs()),
      );
      if (restored) this.diagnostics(restored);
      // Only once restored: a checkpoint of counters restored half-way would lower them at the next start.
      running.checkpoints = new CounterCheckpointer({
        file: checkpoint,
        logsDir: this.paths.logs,
        counters: parts.counters,
        clock: this.clock,
        policyWindowMs,
        diagnostics: this.diagnostics,
      }).start();
      // The ready line waits for the port and the config watcher, not for the upstreams (they start right after).
      const watching = parts.home.watch();
      watching.catch(() => undefined); // awaited below; a failed listen must not leave it unhandled
      const port = await this.listen(parts, server, this.options.port ?? parts.home.settings.port);
      parts.upstreams.start();
      parts.shared.start();
      await watching;
      this.runtime = runtimeInfoFor(port, this.adminToken);
      writeRuntime(this.paths.runtime, this.runtime);
      return this.runtime;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private listen(parts: GatewayParts, server: http.Server, port: number): Promise<number> {
    this.handlers = createControlHandlers(this.controlContext(parts));
    const callerOf = (req: http.IncomingMessage) => {
      const token = bearerToken(req);
      const known = token !== undefined && (safeEqual(token, this.adminToken) || this.logins.isToken(token));
      return known ? { token } : undefined;
    };
    const isAuthorized = (req: http.IncomingMessage) => callerOf(req) !== undefined;
    server.on(
      'request',
      createHttpApp({
        port: () => this.runtime?.port ?? port,
        auth: {
          adminToken: this.adminToken,
          grants: () => parts.home.grants,
          reloadGrants: () => parts.home.reloadGrants(),
        },
        sessions: parts.sessions,
        diagnostics: this.diagnostics,
        ...(this.options.grantCommand !== undefined ? { grantCommand: this.options.grantCommand } : {}),
        control: {
          router: createControlRouter(this.handlers, callerOf, this.diagnostics),
          hub: this.events,
          isAuthorized,
        },
        ...(this.options.dashboardDir ? { dashboardDir: this.options.dashboardDir } : {}),
      }),
    );
    server.keepAliveTimeout = 65_000;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE' ? new PortBusyError(port) : err);
      });
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  }

  private controlContext(parts: GatewayParts): ControlContext {
    const { home, sessions, upstreams } = parts;
    return {
      paths: this.paths,
      logIndexes: parts.logIndexes,
      chainHead: parts.chainHead,
      policy: () => home.policy.get(),
      reloadPolicy: () => home.reloadPolicy(),
      policySource: () => parts.policySource.state(),
      refreshPolicySource: () => parts.policySource.refresh(),
      names: () => parts.names.table,
      counters: parts.counters,
      clock: this.clock,
      sessionsOf: (grant) => sessions.countOf(grant),
      closeGrant: (grant) => sessions.closeGrant(grant),
      reloadGrants: () => void home.reloadGrants(),
      upstreamStatus: () => upstreams.manager.status(),
      restartUpstream: (name) => upstreams.manager.restart(name),
      reloadServers: () => home.reloadServers(),
      settings: () => home.settings,
      reloadSettings: () => home.reloadSettings(),
      isPaused: () => this.isPaused(),
      setPaused: (paused) => this.setPaused(paused),
      newLoginUrl: () => this.newLoginUrl(),
      exchangeLoginCode: (code) => this.logins.exchange(code),
      endLogin: (token) => this.logins.revoke(token),
      testArgument: (server, name, rule, value) => parts.decider.testArgument(server, name, rule, value),
      pinOf: (server, tool) => parts.pins.hashOf(server, tool),
      acceptPin: (server, tool) => parts.pins.accept(server, tool),
      renamedFrom: (server, tool) => parts.pins.renamedFrom(server, tool),
      approvals: parts.approvals,
      clientEnv: process.env,
      platform: process.platform,
      port: () => this.runtime?.port,
      counterBackend: () => parts.shared.backend(),
      health: () => parts.telemetry.health(),
      metricsText: () => parts.telemetry.metricsText(),
    };
  }

  /** Retention: day files older than logRetentionDays go; nothing else in logs/ is touched. */
  private pruneLogs(parts: GatewayParts): void {
    try {
      const removed = pruneOldLogs(
        this.paths.logs,
        parts.home.settings.logRetentionDays,
        new Date(this.clock()),
      );
      if (removed.length > 0) this.diagnostics(`log retention: removed ${removed.join(', ')}`);
    } catch (err) {
      this.diagnostics(`log retention: ${(err as Error).message}`);
    }
    this.indexLogs(parts);
  }

  /** The search index of the closed day files, built in the background (a search never waits for it). */
  private indexLogs(parts: GatewayParts): void {
    if (this.indexing) return;
    const started = performance.now();
    const today = new Date(this.clock()).toISOString().slice(0, 10);
    this.indexing = indexClosedDays(
      this.paths.logs,
      parts.logIndexes,
      today,
      () => this.stopping !== undefined,
    )
      .then((built) => {
        if (built.length > 0)
          this.diagnostics(
            `call log: search index built for ${plural(built.length, 'day file')} in ${Math.round(performance.now() - started)} ms`,
          );
      })
      .catch((err: unknown) =>
        this.diagnostics(`call log: search index not built: ${(err as Error).message}`),
      )
      .finally(() => {
        this.indexing = undefined;
      });
  }

  isPaused(): boolean {
    return this.running?.parts.pause.isPaused ?? false;
  }

  /** The pause switch: kept in state/pause.json, so a restart does not quietly resume. */
  setPaused(paused: boolean): void {
    const parts = this.running?.parts;
    if (!parts?.pause.set(paused)) return;
    this.diagnostics(
      paused ? `paused: every call goes to ${parts.home.settings.pauseMode} until resumed` : 'resumed',
    );
  }

  upstreamStatus(): UpstreamStatus[] {
    return this.running?.parts.upstreams.manager.status() ?? [];
  }

  /** Stops serving: streams closed, children stopped, log closed, runtime.json removed. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    const { parts, server } = running;
    // Waiting calls are answered first, and their answers get a moment to reach the clients before streams close.
    parts.approvals.shutdown();
    clearInterval(running.retention);
    await this.indexing; // it ends at its next read
    if (await parts.router.settle(STOP_CALLS_MS)) await new Promise((r) => setTimeout(r, 20));
    await parts.home.close();
    const closed = server.listening
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : undefined;
    await parts.sessions.closeAll();
    server.closeAllConnections();
    // The audit trail's last records go out (for a moment at most) while the upstreams stop.
    await Promise.all([closed, parts.upstreams.stop(), parts.telemetry.close()]);
    parts.shared.close();
    parts.policySource.close();
    parts.log.close();
    running.checkpoints?.stop(); // after the last line: the next start reads no tail
    if (this.runtime) removeRuntime(this.paths.runtime);
    running.releaseLock();
  }
}
