// Servers set to `sessionUpstreams: true` get one instance per client session: its own process or connection, so
// state, subscriptions and the server's own requests never cross between clients. Instances start when the session
// opens and stop when it ends. Their number is bounded: a server runs at most MAX_PER_SERVER instances at once, and
// none is ever started for a session that has ended (a call run as a task may be released long after its session).
import type { ServersFile } from '../../../shared/servers.js';
import type { UpstreamRequestHandlers } from './client.js';
import type { UpstreamManager } from './manager.js';
import type { Upstream } from './upstream.js';
import { plural } from '../text/plural.js';

/** The most instances of one server running (or starting) at once. */
const MAX_PER_SERVER = 32;

export interface SessionHooks {
  handlers: UpstreamRequestHandlers;
  onNotification: (
    server: string,
    notification: { method: string; params?: Record<string, unknown> },
  ) => void;
}

export class SessionUpstreams {
  private readonly pending = new Map<string, Map<string, Promise<Upstream>>>();
  private readonly ready = new Map<string, Map<string, Upstream>>();
  /** Instances running or starting, per server. */
  private readonly running = new Map<string, number>();

  constructor(
    private readonly deps: {
      manager: () => UpstreamManager;
      servers: () => ServersFile;
      hooksFor: (session: string, grant: string) => SessionHooks;
      /** Whether a client session is still open. */
      live: (session: string) => boolean;
      diagnostics: (line: string) => void;
    },
    private readonly maxPerServer = MAX_PER_SERVER,
  ) {}

  isDedicated(server: string): boolean {
    return this.deps.servers().mcpServers[server]?.sessionUpstreams === true;
  }

  dedicatedServers(): string[] {
    return Object.entries(this.deps.servers().mcpServers)
      .filter(([, config]) => config.sessionUpstreams === true && !config.disabled)
      .map(([name]) => name);
  }

  /** This session's own instance of the server, started on first use. */
  get(session: string, grant: string, server: string): Promise<Upstream> {
    const known = this.pending.get(session)?.get(server);
    if (known) return known;
    if (!this.deps.live(session)) {
      return Promise.reject(
        new Error(
          `the client session ${session} has ended, so its own instance of "${server}" is not started`,
        ),
      );
    }
    const count = this.running.get(server) ?? 0;
    if (count >= this.maxPerServer) {
      return Promise.reject(
        new Error(
          `"${server}" already runs ${plural(count, 'instance')}, one per client session (sessionUpstreams), the most Gatehouse starts at once (${this.maxPerServer}): close client sessions you no longer use, then try again`,
        ),
      );
    }
    const mine = this.pending.get(session) ?? new Map<string, Promise<Upstream>>();
    this.pending.set(session, mine);
    this.running.set(server, count + 1);
    const upstream = this.deps
      .manager()
      .dedicated(server, this.deps.hooksFor(session, grant))
      .then((u) => {
        // The session ended while its instance started: closeSession could not stop it, so it stops here.
        if (this.pending.get(session) !== mine) {
          void this.deps.manager().stopDedicated(u);
          throw new Error(`the client session ${session} ended while "${server}" started for it`);
        }
        const started = this.ready.get(session) ?? new Map<string, Upstream>();
        started.set(server, u);
        this.ready.set(session, started);
        return u;
      });
    upstream.catch(() => {
      // Still this session's (not closed meanwhile, which released it): a failed start frees its place.
      if (mine.get(server) !== upstream) return;
      mine.delete(server);
      this.release(server);
    });
    mine.set(server, upstream);
    return upstream;
  }

  /** The session's instance if it is already up (for listings, which do not wait). */
  readyFor(session: string, server: string): Upstream | undefined {
    return this.ready.get(session)?.get(server);
  }

  async closeSession(session: string): Promise<void> {
    const mine = this.pending.get(session);
    if (!mine) return;
    const instances = [...mine.entries()];
    mine.clear();
    this.pending.delete(session);
    this.ready.delete(session);
    for (const [server] of instances) this.release(server);
    await Promise.all(
      instances.map(([, p]) =>
        p.then(
          (u) => this.deps.manager().stopDedicated(u),
          () => undefined,
        ),
      ),
    );
  }

  private release(server: string): void {
    const count = (this.running.get(server) ?? 1) - 1;
    if (count > 0) this.running.set(server, count);
    else this.running.delete(server);
  }
}
