// The gateway: composes home, policy, grants, upstreams, the call log and the front door; start() and stop().
// Plain Node — the CLI, the Electron shell and the tests all build it here.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Settings } from '../../../shared/settings.js';
import type { UpstreamStatus } from '../../../shared/servers.js';
import { ensureHome, loadServers, loadSettings } from '../home/index.js';
import { homePaths, type HomePaths } from '../home/paths.js';
import { acquireHomeLock } from '../home/lock.js';
import { removeRuntime, runtimeInfoFor, writeRuntime, type RuntimeInfo } from '../home/runtime.js';
import { readGrants, type GrantEntry } from '../grants/store.js';
import { CallLog } from '../log/call-log.js';
import { CounterStore } from '../policy/counters.js';
import { effectiveToolAction } from '../policy/decide.js';
import { UpstreamManager } from '../upstream/manager.js';
import { buildNameTable, type NameTable } from '../names/name-table.js';
import { createHttpApp } from '../front/http-app.js';
import { McpSessions, unknownTool } from '../front/mcp-sessions.js';
import { ConfigWatcher } from './config-watch.js';
import { PolicyHolder, loadPolicyFile } from './policy-holder.js';
import { runToolCall, type ToolCallDeps } from './tool-call.js';

export const GATEHOUSE_VERSION = '0.1.0';

export interface GatewayOptions {
  home: string;
  /** Overrides settings.json's port; 0 picks a free port. */
  port?: number;
  policyFile?: string;
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
  runtime: RuntimeInfo | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.paths = homePaths(options.home, options.policyFile);
    this.diagnostics = options.diagnostics ?? ((line) => process.stderr.write(`gatehouse: ${line}\n`));
    this.clock = options.clock ?? Date.now;
  }

  async start(): Promise<RuntimeInfo> {
    for (const warning of ensureHome(this.paths)) this.diagnostics(`warning: ${warning}`);
    this.settings = loadSettings(this.paths);
    this.policy = new PolicyHolder(loadPolicyFile(this.paths.policy));
    const servers = loadServers(this.paths);
    this.grants = readGrants(this.paths.grants);
    this.releaseLock = acquireHomeLock(this.paths.lock, this.paths.home);
    try {
      this.log = new CallLog(this.paths.logs);
      this.sessions = new McpSessions({
        serverInfo: { name: 'gatehouse', version: GATEHOUSE_VERSION },
        listTools: (grant) => this.listTools(grant),
        callTool: (ctx, args, extra) => this.callTool(ctx, args, extra),
        diagnostics: this.diagnostics,
      });
      this.upstreams = new UpstreamManager({ servers, diagnostics: this.diagnostics });
      this.upstreams.on('tools', () => this.rebuildNames());
      this.upstreams.start();
      const port = await this.listen(this.options.port ?? this.settings.port);
      await this.watchConfig();
      this.runtime = runtimeInfoFor(port, this.adminToken);
      writeRuntime(this.paths.runtime, this.runtime);
      return this.runtime;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private listen(port: number): Promise<number> {
    const app = createHttpApp({
      port: () => this.runtime?.port ?? port,
      auth: {
        adminToken: this.adminToken,
        grants: () => this.grants,
        reloadGrants: () => this.reloadGrants(),
      },
      sessions: this.sessions,
      diagnostics: this.diagnostics,
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
    this.sessions.notifyToolsChanged();
    return true;
  }

  private reloadServers(): void {
    try {
      this.upstreams.update(loadServers(this.paths));
    } catch (err) {
      this.diagnostics(`${(err as Error).message}; keeping the servers in force`);
    }
  }

  private rebuildNames(): void {
    const table = buildNameTable(this.upstreams.tools());
    for (const hidden of table.hidden) {
      if (!this.names.hidden.some((h) => h.server === hidden.server && h.tool === hidden.tool)) {
        this.diagnostics(`tool "${hidden.tool}" of server "${hidden.server}" is hidden: ${hidden.why}`);
      }
    }
    this.names = table;
    this.sessions.notifyToolsChanged();
  }

  private listTools(grant: string): Tool[] {
    const { compiled } = this.policy.get();
    const tools: Tool[] = [];
    for (const entry of this.names.entries()) {
      if (effectiveToolAction(grant, entry.server, entry.tool, compiled) === 'deny') continue;
      tools.push({ ...entry.definition, name: entry.exposedName });
    }
    return tools;
  }

  private callTool: ConstructorParameters<typeof McpSessions>[0]['callTool'] = (ctx, args, extra) => {
    const entry = this.names.resolve(ctx.name);
    if (!entry) throw unknownTool(ctx.name);
    return runToolCall(
      this.toolCallDeps,
      {
        grant: ctx.grant,
        session: ctx.session,
        exposedName: ctx.name,
        server: entry.server,
        tool: entry.tool,
      },
      args,
      {
        signal: extra.signal,
        ...(extra.sendProgress ? { onProgress: (p) => void extra.sendProgress?.(p) } : {}),
      },
    );
  };

  private get toolCallDeps(): ToolCallDeps {
    return {
      policy: this.policy,
      counters: this.counters,
      log: this.log,
      settings: () => this.settings,
      forward: (server, tool, args, opts) => this.upstreams.callTool(server, tool, args, opts),
      clock: this.clock,
      newId: () => crypto.randomUUID(),
      diagnostics: this.diagnostics,
    };
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
