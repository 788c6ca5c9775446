// The upstream manager: one long-lived MCP client per server of servers.json, restarted with backoff when it
// crashes, updated in place when servers.json changes; child processes never outlive the gateway.
import { EventEmitter } from 'node:events';
import {
  ErrorCode,
  McpError,
  type CallToolResult,
  type CreateTaskResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig, ServersFile, UpstreamStatus } from '../../../shared/servers.js';
import type { ToolListing } from '../names/name-table.js';
import type { UpstreamClient, UpstreamRequestHandlers } from './client.js';
import { errorText } from '../rpc/error-text.js';
import { Upstream, type Backoff, type CallOptions, type UpstreamDeps } from './upstream.js';
import { Watchdog, defaultWatchdogLauncher, type WatchdogLauncher } from './watchdog.js';

export type { CallOptions } from './upstream.js';
export type { UpstreamRequestHandlers } from './client.js';

export interface UpstreamManagerOptions {
  servers: ServersFile;
  diagnostics: (line: string) => void;
  clientInfo?: { name: string; version: string };
  /** Restart delays: first `initialMs` (default 250), doubling up to `maxMs` (default 30 000). */
  restartBackoff?: { initialMs: number; maxMs: number; resetAfterMs?: number };
  /** How long `initialize` and `tools/list` may take (default 60 s). */
  startTimeoutMs?: number;
  /** Default time limit of a tools/call without progress (default 5 minutes). */
  callTimeoutMs?: number;
  /** How to run the watchdog (default: this Node with `-e`); `false` runs none (not for production). */
  watchdog?: WatchdogLauncher | false;
  /** Answers to requests upstreams send (roots, sampling, elicitation). */
  handlers?: Partial<UpstreamRequestHandlers>;
}

export interface UpstreamManagerEvents {
  /** One upstream's status changed. */
  status: [status: UpstreamStatus];
  /** The set of tools of the ready upstreams changed (rebuild the name table). */
  tools: [];
  /** Any other notification from an upstream, to pass on to the clients that should see it. */
  notification: [server: string, notification: { method: string; params?: Record<string, unknown> }];
}

const STOP_BUDGET_MS = 1_900;

/** Until the gateway passes them on: roots empty, sampling and elicitation refused plainly. */
const defaultRequestHandlers: UpstreamRequestHandlers = {
  listRoots: () => ({ roots: [] }),
  createMessage: (server) =>
    Promise.reject(
      new McpError(
        ErrorCode.InvalidRequest,
        `Gatehouse does not pass sampling requests from upstream "${server}" on to an agent (not supported yet)`,
      ),
    ),
  elicit: (server) =>
    Promise.reject(
      new McpError(
        ErrorCode.InvalidRequest,
        `Gatehouse does not pass elicitation requests from upstream "${server}" on to a person (not supported yet)`,
      ),
    ),
};

export class UpstreamManager extends EventEmitter<UpstreamManagerEvents> {
  private readonly upstreams = new Map<string, Upstream>();
  private readonly dedicatedUpstreams = new Set<Upstream>();
  private readonly deps: UpstreamDeps;
  private readonly watchdog: Watchdog | undefined;
  private servers: ServersFile;
  private started = false;
  private stopping: Promise<void> | undefined;
  private updating: Promise<void> = Promise.resolve();

  constructor(options: UpstreamManagerOptions) {
    super();
    this.servers = options.servers;
    const diagnostics = options.diagnostics;
    const backoff: Backoff = {
      initialMs: options.restartBackoff?.initialMs ?? 250,
      maxMs: options.restartBackoff?.maxMs ?? 30_000,
      resetAfterMs: options.restartBackoff?.resetAfterMs ?? 30_000,
    };
    this.watchdog =
      options.watchdog === false
        ? undefined
        : new Watchdog(options.watchdog ?? defaultWatchdogLauncher(), diagnostics);
    this.deps = {
      clientInfo: options.clientInfo ?? { name: 'gatehouse', version: '0.1.0' },
      handlers: { ...defaultRequestHandlers, ...options.handlers },
      backoff,
      startTimeoutMs: options.startTimeoutMs ?? 60_000,
      callTimeoutMs: options.callTimeoutMs ?? 300_000,
      diagnostics,
      watchGroup: (pgid) => this.watchdog?.watch(pgid),
      forgetGroup: (pgid) => this.watchdog?.forget(pgid),
      onStatus: (status) => this.safeEmit('status', status),
      onTools: () => this.safeEmit('tools'),
      onNotification: (server, notification) => this.safeEmit('notification', server, notification),
    };
  }

  /** Connects every enabled server concurrently; returns at once (each becomes ready on its own). */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    for (const [name, config] of Object.entries(this.servers.mcpServers)) this.add(name, config);
  }

  /**
   * A private instance of a server for one client session: its own process (or connection) and state. Its requests
   * and notifications go to the hooks given here, never to the shared handlers. Resolves once it is ready.
   */
  async dedicated(
    server: string,
    hooks: {
      handlers: UpstreamRequestHandlers;
      onNotification: UpstreamDeps['onNotification'];
    },
    timeoutMs = 60_000,
  ): Promise<Upstream> {
    const config = this.servers.mcpServers[server];
    if (!config || config.disabled) throw new Error(`upstream "${server}" is not configured or is disabled`);
    if (this.stopping) throw new Error('the gateway is stopping');
    let settle: (error?: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    const upstream = new Upstream(server, config, {
      ...this.deps,
      handlers: hooks.handlers,
      onNotification: hooks.onNotification,
      onTools: () => undefined,
      onStatus: (status) => {
        if (status.state === 'ready') settle();
        else if (status.state === 'failed')
          settle(new Error(`upstream "${server}" (this session's own) failed: ${status.error ?? 'unknown'}`));
      },
    });
    this.dedicatedUpstreams.add(upstream);
    upstream.start();
    const timer = setTimeout(
      () => settle(new Error(`upstream "${server}" (this session's own) did not start in time`)),
      timeoutMs,
    );
    try {
      await ready;
      return upstream;
    } catch (err) {
      await this.stopDedicated(upstream);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async stopDedicated(upstream: Upstream): Promise<void> {
    this.dedicatedUpstreams.delete(upstream);
    await upstream.stop();
  }

  /** Closes every client and ends every child and its process group; resolves within 2 s. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    // An update in progress stops what it removed on its own and starts nothing once this began.
    const all = [...this.upstreams.values(), ...this.dedicatedUpstreams].map((u) => u.stop());
    await Promise.race([Promise.all(all), new Promise((resolve) => setTimeout(resolve, STOP_BUDGET_MS))]);
    // Anything still recorded (a straggler that did not die in time) is SIGKILLed by the watchdog now.
    this.watchdog?.close();
  }

  /** Applies a new servers.json: added servers start, removed ones stop, changed ones restart. */
  update(servers: ServersFile): Promise<void> {
    const next = this.updating.then(() => this.apply(servers));
    this.updating = next.catch((err) =>
      this.deps.diagnostics(`applying servers.json failed: ${errorText(err)}`),
    );
    return next;
  }

  private async apply(servers: ServersFile): Promise<void> {
    if (this.stopping) return;
    this.servers = servers;
    if (!this.started) return;
    const wanted = servers.mcpServers;
    const stops: Promise<void>[] = [];
    let changed = false;
    for (const [name, upstream] of this.upstreams) {
      const config = wanted[name];
      if (config && sameConfig(upstream.config, config)) {
        if (upstream.toolPrefix !== config.toolPrefix) {
          // Only the exposed names change: no restart needed.
          upstream.setToolPrefix(config.toolPrefix);
          changed = true;
        }
        continue;
      }
      this.upstreams.delete(name);
      stops.push(upstream.stop());
      changed = true;
    }
    await Promise.all(stops);
    if (this.stopping) return;
    for (const [name, config] of Object.entries(wanted)) {
      if (!this.upstreams.has(name)) {
        this.add(name, config);
        changed = true;
      }
    }
    if (changed) this.safeEmit('tools');
  }

  /** Restarts one upstream now, as if newly added (POST /api/servers/:name/restart). */
  async restart(server: string): Promise<void> {
    const upstream = this.upstreams.get(server);
    if (!upstream) throw new Error(`no upstream named "${server}" in servers.json`);
    this.upstreams.delete(server);
    await upstream.stop();
    if (!this.stopping) this.add(server, upstream.config);
  }

  status(): UpstreamStatus[] {
    return [...this.upstreams.values()].map((u) => u.status());
  }

  /** Tools of the ready upstreams (and of those restarting after a crash, with their last list), for buildNameTable. */
  tools(): ToolListing[] {
    const listings: ToolListing[] = [];
    for (const upstream of this.upstreams.values()) {
      if (!upstream.listed) continue;
      const prefix = upstream.toolPrefix;
      listings.push({
        server: upstream.name,
        ...(prefix !== undefined ? { toolPrefix: prefix } : {}),
        tools: upstream.tools,
      });
    }
    return listings;
  }

  /** Forwards a tools/call; the result passes through unchanged. Rejects with a plain message when not ready. */
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    opts?: CallOptions & { task?: undefined },
  ): Promise<CallToolResult>;
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    opts: CallOptions,
  ): Promise<CallToolResult | CreateTaskResult>;
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<CallToolResult | CreateTaskResult> {
    const upstream = this.upstreams.get(server);
    if (!upstream) return Promise.reject(new Error(`no upstream named "${server}" in servers.json`));
    return upstream.callTool(tool, args, opts);
  }

  /** The pid of the watchdog process, once a child has started. */
  get watchdogPid(): number | undefined {
    return this.watchdog?.pid;
  }

  /** The live SDK client of a ready upstream (for resources, prompts, completion, roots notifications). */
  getClient(server: string): UpstreamClient | undefined {
    return this.upstreams.get(server)?.client;
  }

  private add(name: string, config: ServerConfig): void {
    const upstream = new Upstream(name, config, this.deps);
    this.upstreams.set(name, upstream);
    this.safeEmit('status', upstream.status());
    upstream.start();
  }

  /** Listeners must not take the manager (or the gateway) down: their errors are reported, not thrown. */
  private safeEmit<K extends keyof UpstreamManagerEvents>(event: K, ...args: UpstreamManagerEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: UpstreamManagerEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.deps.diagnostics(`a listener of the upstream "${event}" event failed: ${errorText(err)}`);
    }
  }
}

/** Equal configs apart from toolPrefix (which needs no restart); keys compared whatever their order. */
function sameConfig(a: ServerConfig, b: ServerConfig): boolean {
  const { toolPrefix: _a, ...restA } = a;
  const { toolPrefix: _b, ...restB } = b;
  return canonical(restA) === canonical(restB);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
