// One upstream server: its long-lived client connection, its tools, its status, and restarts with backoff.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
  type CreateTaskResult,
  type Progress,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  isStdioServer,
  type ServerConfig,
  type UpstreamState,
  type UpstreamStatus,
} from '../../../shared/servers.js';
import { UpstreamClient, type UpstreamRequestHandlers } from './client.js';
import {
  connectUpstream,
  meansConnectionLost,
  transportKind,
  type Connection,
  type TransportKind,
} from './connect.js';
import { errorText } from '../rpc/error-text.js';
import { parseCallToolResult } from '../rpc/message-shapes.js';
import { StderrTail, maskSecrets } from './stderr-tail.js';
import { listAllTools } from './tool-list.js';
import { plural } from '../text/plural.js';

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** After staying up this long, the next crash restarts after `initialMs` again. */
  resetAfterMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  timeoutMs?: number;
  /** `_meta` to send along (a progress token is added by the SDK when `onProgress` is given). */
  meta?: Record<string, unknown>;
  /** Run the call as an MCP task: the upstream answers with the task it created, not the tool's result. */
  task?: Record<string, unknown>;
}

export interface UpstreamDeps {
  clientInfo: { name: string; version: string };
  handlers: UpstreamRequestHandlers;
  backoff: Backoff;
  startTimeoutMs: number;
  callTimeoutMs: number;
  diagnostics: (line: string) => void;
  watchGroup: (pgid: number) => void;
  forgetGroup: (pgid: number) => void;
  onStatus: (status: UpstreamStatus) => void;
  onTools: () => void;
  /** Every other notification of the upstream (resources/prompts list_changed, resources/updated, log messages). */
  onNotification: (
    server: string,
    notification: { method: string; params?: Record<string, unknown> },
  ) => void;
}

const LIST_CHANGED_DEBOUNCE_MS = 25;
/** An upstream that does not do tasks answers a task-augmented call with the plain result (the spec says so). */
const TaskOrToolResult = z.union([CreateTaskResultSchema, CallToolResultSchema]);
const STOP_BUDGET_MS = 1_800;

export class Upstream {
  private state: UpstreamState;
  private error: string | undefined;
  private restarts = 0;
  private toolList: Tool[] = [];
  private connection: Connection | undefined;
  /** Transports of the connection attempt in progress, so a stop during the handshake can end them. */
  private readonly transports = new Set<Transport>();
  /** Closes running in the background (after a crash); stop() waits for them too. */
  private readonly closings = new Set<Promise<unknown>>();
  private readonly tail: StderrTail;
  /** Values from the server's env or headers: never shown in a status, a reason or a diagnostic. */
  private readonly secrets: string[];
  /** The transport in use: from the config until a connection shows which one answered (the SSE fallback). */
  private kind: TransportKind;
  private generation = 0;
  private delayMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private relistTimer: NodeJS.Timeout | undefined;
  private relists = 0;

  constructor(
    readonly name: string,
    private currentConfig: ServerConfig,
    private readonly deps: UpstreamDeps,
  ) {
    const config = currentConfig;
    this.state = config.disabled ? 'disabled' : 'starting';
    this.delayMs = deps.backoff.initialMs;
    this.kind = transportKind(config);
    this.secrets = isStdioServer(config)
      ? Object.values(config.env ?? {})
      : Object.values(config.headers ?? {});
    this.tail = new StderrTail(this.secrets);
  }

  get config(): ServerConfig {
    return this.currentConfig;
  }

  /** A new config that differs only in toolPrefix: the connection stays, only the exposed names change. */
  setToolPrefix(toolPrefix: string | undefined): void {
    this.currentConfig = { ...this.currentConfig, toolPrefix };
  }

  get toolPrefix(): string | undefined {
    return this.currentConfig.toolPrefix;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get tools(): Tool[] {
    return this.toolList;
  }

  get client(): UpstreamClient | undefined {
    return this.state === 'ready' ? this.connection?.client : undefined;
  }

  status(): UpstreamStatus {
    return {
      name: this.name,
      transport: this.kind,
      state: this.state,
      ...(this.error !== undefined ? { error: this.error } : {}),
      restarts: this.restarts,
      toolCount: this.toolList.length,
      stderrTail: this.tail.snapshot(),
      ...(this.connection?.pid !== undefined ? { pid: this.connection.pid } : {}),
    };
  }

  start(): void {
    if (this.state !== 'starting') return;
    void this.connect();
  }

  private setState(state: UpstreamState, error?: string): void {
    const wasRestarting = this.state === 'restarting';
    this.state = state;
    this.error = error;
    // A restarting upstream keeps its last tools listed, so a call meanwhile is told "restarting, retry"; once it is
    // known not to come back soon (failed, stopped), its tools go away.
    if (wasRestarting && state !== 'ready' && state !== 'restarting' && this.toolList.length > 0) {
      this.toolList = [];
      this.deps.onTools();
    }
    this.deps.onStatus(this.status());
  }

  /** Its tools are offered to clients: ready, or restarting after a crash with its last known tools. */
  get listed(): boolean {
    return this.state === 'ready' || this.state === 'restarting';
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.transports.clear();
    let connection: Connection | undefined;
    try {
      connection = await connectUpstream({
        name: this.name,
        config: this.config,
        newClient: (transport) => this.newClient(generation, transport),
        timeoutMs: this.deps.startTimeoutMs,
        onStderr: (text) => this.tail.push(text),
        lastStderrLine: () => this.tail.lastLine(),
        track: (transport) => this.transports.add(transport),
        onSpawn: (pid) => this.deps.watchGroup(pid),
        onGroupGone: (pid) => this.deps.forgetGroup(pid),
        diagnostics: this.deps.diagnostics,
      });
      if (!current()) return void (await connection.close());
      this.connection = connection;
      this.kind = connection.kind;
      const tools = await listAllTools(connection.client, this.deps.startTimeoutMs);
      if (!current()) return;
      this.toolList = tools;
      this.setState('ready');
      this.deps.diagnostics(`upstream "${this.name}" is ready (${plural(tools.length, 'tool')})`);
      this.deps.onTools();
      this.stableTimer = setTimeout(
        () => (this.delayMs = this.deps.backoff.initialMs),
        this.deps.backoff.resetAfterMs,
      );
      this.stableTimer.unref();
    } catch (err) {
      if (!current()) return;
      this.connection = undefined;
      await connection?.close().catch(() => undefined);
      // connectUpstream's messages already say what to fix; their causes would only repeat it.
      const reason = maskSecrets(err instanceof Error ? err.message : String(err), this.secrets);
      // Retries that fail the same way are not worth a line each.
      if (this.state !== 'failed' || this.error !== reason) {
        this.deps.diagnostics(`upstream "${this.name}" failed to start: ${reason}; retrying with backoff`);
      }
      this.setState('failed', reason);
      this.scheduleRetry();
    }
  }

  private newClient(generation: number, transport: Transport): UpstreamClient {
    const client = new UpstreamClient(transport, {
      server: this.name,
      clientInfo: this.deps.clientInfo,
      handlers: this.deps.handlers,
      onNotification: (notification) => {
        if (generation !== this.generation) return;
        if (notification.method === 'notifications/tools/list_changed') this.scheduleRelist();
        else this.deps.onNotification(this.name, notification);
      },
    });
    client.onclose = () => this.connectionLost(generation, undefined);
    client.onerror = (err) => {
      if (generation !== this.generation) return;
      this.deps.diagnostics(`upstream "${this.name}": ${maskSecrets(errorText(err), this.secrets)}`);
      // Over HTTP nothing closes when the server goes away; the SDK gives up re-opening its event stream.
      if (
        !isStdioServer(this.config) &&
        /^(Maximum reconnection attempts|Failed to reconnect)/.test(err.message)
      ) {
        this.connectionLost(generation, `could not be reached (${err.message})`);
      }
    };
    return client;
  }

  /** The connection of a ready upstream ended (crash, kill, network): tools go away and a restart is scheduled. */
  private connectionLost(generation: number, why: string | undefined): void {
    if (generation !== this.generation || this.state !== 'ready' || !this.connection) return;
    const connection = this.connection;
    const how = why ?? connection.endedHow();
    this.generation++;
    this.connection = undefined;
    clearTimeout(this.stableTimer);
    clearTimeout(this.relistTimer);
    this.tail.note(`[gatehouse] the upstream ${how}`);
    this.deps.diagnostics(`upstream "${this.name}" ${how}; restarting in ${this.delayMs} ms`);
    this.setState('restarting', `it ${how}`);
    this.inBackground(connection.close());
    this.scheduleRetry();
  }

  private inBackground(closing: Promise<void>): void {
    const tracked = closing
      .catch((err) => this.deps.diagnostics(`closing upstream "${this.name}": ${errorText(err)}`))
      .finally(() => this.closings.delete(tracked));
    this.closings.add(tracked);
  }

  private scheduleRetry(): void {
    const delay = this.delayMs;
    this.delayMs = Math.min(delay * 2, this.deps.backoff.maxMs);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.restarts++;
      void this.connect();
    }, delay);
  }

  private scheduleRelist(): void {
    clearTimeout(this.relistTimer);
    this.relistTimer = setTimeout(() => void this.relist(), LIST_CHANGED_DEBOUNCE_MS);
  }

  private async relist(): Promise<void> {
    const generation = this.generation;
    const turn = ++this.relists;
    const client = this.client;
    if (!client) return;
    try {
      const tools = await listAllTools(client, this.deps.startTimeoutMs);
      // A later re-list (or a restart) has the fresher answer.
      if (generation !== this.generation || turn !== this.relists || this.state !== 'ready') return;
      this.toolList = tools;
      this.deps.onStatus(this.status());
      this.deps.onTools();
    } catch (err) {
      this.deps.diagnostics(`upstream "${this.name}": listing its tools again failed: ${errorText(err)}`);
    }
  }

  callTool(
    tool: string,
    args: Record<string, unknown>,
    opts?: CallOptions & { task?: undefined },
  ): Promise<CallToolResult>;
  callTool(
    tool: string,
    args: Record<string, unknown>,
    opts: CallOptions,
  ): Promise<CallToolResult | CreateTaskResult>;
  async callTool(
    tool: string,
    args: Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<CallToolResult | CreateTaskResult> {
    const connection = this.connection;
    if (this.state !== 'ready' || !connection) throw new Error(this.notReadyMessage());
    const generation = this.generation;
    const params = {
      name: tool,
      arguments: args,
      ...(opts.meta ? { _meta: opts.meta } : {}),
      ...(opts.task ? { task: opts.task } : {}),
    };
    const timeout = opts.timeoutMs ?? this.deps.callTimeoutMs;
    try {
      const raw = await connection.client.requestRaw('tools/call', params, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress, resetTimeoutOnProgress: true } : {}),
        timeoutMs: timeout,
      });
      return opts.task ? TaskOrToolResult.parse(raw) : parseCallToolResult(raw);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
        throw new Error(
          `upstream "${this.name}" ${connection.endedHow()} during the call; Gatehouse is restarting it — retry in a moment`,
          { cause: err },
        );
      }
      // Over HTTP a dead server shows up as a failed fetch, not a closed connection: reconnect.
      if (connection.kind !== 'stdio' && meansConnectionLost(err)) {
        this.connectionLost(generation, `could not be reached (${errorText(err)})`);
        throw new Error(
          `upstream "${this.name}" could not be reached (${errorText(err)}); Gatehouse is reconnecting — retry in a moment`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  notReadyMessage(): string {
    switch (this.state) {
      case 'starting':
        return `upstream "${this.name}" is still starting; retry in a moment`;
      case 'restarting':
        return `upstream "${this.name}" is restarting after ${this.error ?? 'it stopped'}; retry in a moment`;
      case 'failed':
        return `upstream "${this.name}" failed to start: ${this.error ?? 'unknown reason'}; Gatehouse keeps retrying`;
      case 'disabled':
        return `upstream "${this.name}" is disabled in servers.json`;
      default:
        return `upstream "${this.name}" is stopped`;
    }
  }

  /** Stops for good: timers cleared, the client closed, the child and its process group ended. */
  async stop(): Promise<void> {
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    clearTimeout(this.relistTimer);
    const wasListed = this.toolList.length > 0;
    const connection = this.connection;
    this.connection = undefined;
    this.toolList = [];
    if (this.state !== 'disabled') this.setState('stopped');
    const transports = [...this.transports];
    this.transports.clear();
    if (connection) this.inBackground(connection.close());
    for (const transport of transports) this.inBackground(transport.close());
    const closing = Promise.all([...this.closings]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, STOP_BUDGET_MS))]);
    if (wasListed) this.deps.onTools();
  }
}
