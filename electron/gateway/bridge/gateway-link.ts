// The bridge's MCP session with the running gateway. It finds the gateway through runtime.json — read again at every
// attempt, so a new port is followed — opens a session as the grant, and re-opens it after a restart.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities, ClientResult, Notification } from '@modelcontextprotocol/sdk/types.js';
import { readRuntime, type RuntimeInfo } from '../home/runtime.js';
import { errorText } from '../rpc/error-text.js';
import { classifyFailure } from './failures.js';
import { loopbackFetch } from './loopback-fetch.js';

export interface GatewaySession {
  client: Client;
  runtime: RuntimeInfo;
}

export interface ForwardedRequest {
  method: string;
  params?: Record<string, unknown>;
}

export interface GatewayLinkOptions {
  runtimeFile: string;
  home: string;
  grant: string;
  /** `--server S`: the session sees server S alone, its tools and prompts under their own names. */
  server?: string;
  clientInfo: { name: string; version: string };
  /** What the bridge's client declares to the gateway: the capabilities of the client on its stdin. */
  capabilities: () => ClientCapabilities;
  /** A session was opened (the first, or a new one after the gateway came back); runs before waiters resume. */
  onUp: (session: GatewaySession) => Promise<void>;
  /** A notification of the gateway (progress and cancellation are handled by the SDK and never arrive here). */
  onNotification: (notification: Notification, session: GatewaySession) => Promise<void>;
  /** A request of the gateway to the client (sampling, elicitation…). */
  onRequest: (request: ForwardedRequest, signal: AbortSignal) => Promise<Record<string, unknown>>;
  log: (line: string) => void;
  backoff?: { firstMs: number; maxMs: number };
  /** How often runtime.json is looked at while connected (a restart changes its pid and port). */
  watchMs?: number;
  connectTimeoutMs?: number;
}

const START_HINT = 'open the Gatehouse app, or run: gatehouse serve';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The JSON-RPC error message inside an HTTP error body, when there is one. */
function refusalText(err: StreamableHTTPError): string {
  const body = /\{.*\}/s.exec(err.message)?.[0];
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: unknown } };
      if (typeof parsed.error?.message === 'string') return parsed.error.message;
    } catch {
      // Not JSON: the whole message is the best there is.
    }
  }
  return err.message;
}

export class GatewayLink {
  private state: 'idle' | 'waiting' | 'up' | 'closed' = 'idle';
  private session: GatewaySession | undefined;
  private attempting = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryPending = false;
  private watchTimer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private lastNote: string | undefined;
  private refusal: string | undefined;
  private checking = false;
  private readonly waiters = new Set<() => void>();
  private readonly backoff: { firstMs: number; maxMs: number };

  constructor(private readonly opts: GatewayLinkOptions) {
    this.backoff = opts.backoff ?? { firstMs: 250, maxMs: 2000 };
    this.delayMs = this.backoff.firstMs;
  }

  /** Starts looking for the gateway (idempotent). */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'waiting';
    void this.attempt();
  }

  current(): GatewaySession | undefined {
    return this.session;
  }

  /** Why the gateway refused the last attempt (an unknown grant…), when it did. */
  refusedBecause(): string | undefined {
    return this.refusal;
  }

  /**
   * The open session; while none is open but a gateway is running (it is starting, or just restarted), waits up
   * to `timeoutMs` for one. Undefined at once when no gateway runs.
   */
  async whenUp(timeoutMs: number): Promise<GatewaySession | undefined> {
    this.start();
    // runtime.json is looked at first, so a gateway that stopped a moment ago is not sent a request.
    if (this.session && this.checkRuntime(this.session)) return this.session;
    if (this.state === 'closed' || !this.liveRuntime()) return undefined;
    this.attemptNow();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.session);
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** The session failed in a way that says the gateway went away: drop it and look for the gateway again. */
  lost(session: GatewaySession, reason: string): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.state = 'waiting';
    clearInterval(this.watchTimer);
    this.lastNote = undefined;
    this.opts.log(`lost the gateway (${reason}); reconnecting`);
    // Closing rejects the requests still waiting on this session, so none hangs.
    session.client
      .close()
      .catch((err: unknown) => this.opts.log(`closing the old session: ${errorText(err)}`));
    this.delayMs = this.backoff.firstMs;
    this.attemptNow();
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    this.retryPending = false;
    clearInterval(this.watchTimer);
    for (const wake of [...this.waiters]) wake();
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    // Ending the session politely frees it in the gateway at once; a gateway that does not answer is not waited for.
    const transport = session.client.transport as StreamableHTTPClientTransport | undefined;
    await Promise.race([
      transport?.terminateSession().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 500).unref()),
    ]);
    await session.client.close().catch(() => undefined);
  }

  // A method, so that TypeScript does not narrow the state across awaits.
  private closed(): boolean {
    return this.state === 'closed';
  }

  /** runtime.json when it names a running process. */
  private liveRuntime(): RuntimeInfo | undefined {
    let runtime: RuntimeInfo | undefined;
    try {
      runtime = readRuntime(this.opts.runtimeFile);
    } catch {
      return undefined; // unreadable for a moment (being replaced): the next look will tell
    }
    return runtime && pidAlive(runtime.pid) ? runtime : undefined;
  }

  private attemptNow(): void {
    if (this.attempting || this.session || this.state === 'closed') return;
    clearTimeout(this.retryTimer);
    this.retryPending = false;
    void this.attempt();
  }

  private async attempt(): Promise<void> {
    if (this.attempting || this.session || this.state === 'closed') return;
    this.attempting = true;
    try {
      const runtime = this.liveRuntime();
      if (!runtime) {
        this.retry(`waiting for the gateway: none is running on ${this.opts.home} (${START_HINT})`);
        return;
      }
      let session: GatewaySession;
      try {
        session = await this.open(runtime);
      } catch (err) {
        this.retry(this.failureNote(runtime, err));
        return;
      }
      if (this.closed()) {
        await session.client.close().catch(() => undefined);
        return;
      }
      this.session = session;
      this.state = 'up';
      this.refusal = undefined;
      this.lastNote = undefined;
      this.delayMs = this.backoff.firstMs;
      this.opts.log(`connected to the gateway at ${runtime.mcpUrl} as grant "${this.opts.grant}"`);
      this.watchTimer = setInterval(() => this.checkRuntime(session), this.opts.watchMs ?? 500);
      this.watchTimer.unref();
      await this.opts
        .onUp(session)
        .catch((err: unknown) => this.opts.log(`after connecting: ${errorText(err)}`));
    } finally {
      this.attempting = false;
      // The session opened here was lost again before this attempt finished (lost() could not start one).
      if (!this.session && !this.closed() && !this.retryPending) this.retry(undefined);
      // A refusal (an unknown grant…) is not waited out: the request is answered with it at once.
      if (this.session || this.closed() || this.refusal !== undefined)
        for (const wake of [...this.waiters]) wake();
    }
  }

  /** Tries again later, saying so only when the reason changed (no line per retry). */
  private retry(note: string | undefined): void {
    if (this.state === 'closed') return;
    if (note !== undefined && note !== this.lastNote) {
      this.opts.log(note);
      this.lastNote = note;
    }
    this.retryPending = true;
    this.retryTimer = setTimeout(() => {
      this.retryPending = false;
      void this.attempt();
    }, this.delayMs);
    this.retryTimer.unref();
    this.delayMs = Math.min(this.delayMs * 2, this.backoff.maxMs);
  }

  private failureNote(runtime: RuntimeInfo, err: unknown): string {
    if (err instanceof StreamableHTTPError && (err.code === 401 || err.code === 403)) {
      this.refusal = refusalText(err);
      return `the gateway refused the bridge: ${this.refusal}`;
    }
    this.refusal = undefined;
    return `cannot reach the gateway at ${runtime.mcpUrl}: ${errorText(err)}`;
  }

  private async open(runtime: RuntimeInfo): Promise<GatewaySession> {
    const transport = new StreamableHTTPClientTransport(new URL(runtime.mcpUrl), {
      fetch: loopbackFetch,
      requestInit: {
        headers: {
          Authorization: `Bearer ${runtime.adminToken}`,
          'X-Gatehouse-Grant': this.opts.grant,
          ...(this.opts.server !== undefined ? { 'X-Gatehouse-Server': this.opts.server } : {}),
        },
      },
      reconnectionOptions: {
        initialReconnectionDelay: 500,
        maxReconnectionDelay: 2000,
        reconnectionDelayGrowFactor: 2,
        maxRetries: 2,
      },
    });
    const client = new Client(this.opts.clientInfo, { capabilities: this.opts.capabilities() });
    const session: GatewaySession = { client, runtime };
    client.fallbackNotificationHandler = async (notification) => {
      if (this.session === session) await this.opts.onNotification(notification, session);
    };
    client.fallbackRequestHandler = async (request, extra) =>
      (await this.opts.onRequest(
        { method: request.method, ...(request.params ? { params: request.params } : {}) },
        extra.signal,
      )) as ClientResult;
    // Errors of the transport (a broken stream, a failed reconnect) are how a gateway that went away shows first.
    client.onerror = () => this.check(session);
    client.onclose = () => this.lost(session, 'the connection closed');
    try {
      await client.connect(transport, { timeout: this.opts.connectTimeoutMs ?? 5000 });
    } catch (err) {
      await client.close().catch(() => undefined);
      throw err;
    }
    return session;
  }

  /** A restart shows in runtime.json: another pid or port, or no file at all. */
  private checkRuntime(session: GatewaySession): boolean {
    if (this.session !== session) return false;
    const now = this.liveRuntime();
    if (!now) {
      this.lost(session, 'the gateway stopped');
      return false;
    }
    if (now.pid !== session.runtime.pid || now.port !== session.runtime.port) {
      this.lost(session, `the gateway restarted, now at ${now.mcpUrl}`);
      return false;
    }
    return true;
  }

  /** After a transport error: is the session still good? runtime.json first, then a ping. */
  private check(session: GatewaySession): void {
    if (this.checking || !this.checkRuntime(session)) return;
    this.checking = true;
    session.client
      .ping({ timeout: 3000 })
      .catch((err: unknown) => {
        const failure = classifyFailure(err);
        if (failure.kind !== 'answered') this.lost(session, failure.reason);
      })
      .finally(() => {
        this.checking = false;
      });
  }
}
