// Servers set to `sessionUpstreams: true` get one instance per client session: its own process or connection, so
// state, subscriptions and the server's own requests never cross between clients. Instances start when the session
// opens and stop when it ends.
import type { ServersFile } from '../../../shared/servers.js';
import type { UpstreamRequestHandlers } from './client.js';
import type { UpstreamManager } from './manager.js';
import type { Upstream } from './upstream.js';

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

  constructor(
    private readonly deps: {
      manager: () => UpstreamManager;
      servers: () => ServersFile;
      hooksFor: (session: string, grant: string) => SessionHooks;
      diagnostics: (line: string) => void;
    },
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
    const mine = this.pending.get(session) ?? new Map<string, Promise<Upstream>>();
    this.pending.set(session, mine);
    let upstream = mine.get(server);
    if (!upstream) {
      upstream = this.deps
        .manager()
        .dedicated(server, this.deps.hooksFor(session, grant))
        .then((u) => {
          const started = this.ready.get(session) ?? new Map<string, Upstream>();
          started.set(server, u);
          this.ready.set(session, started);
          return u;
        });
      upstream.catch(() => mine.delete(server));
      mine.set(server, upstream);
    }
    return upstream;
  }

  /** The session's instance if it is already up (for listings, which do not wait). */
  readyFor(session: string, server: string): Upstream | undefined {
    return this.ready.get(session)?.get(server);
  }

  async closeSession(session: string): Promise<void> {
    const mine = [...(this.pending.get(session)?.values() ?? [])];
    this.pending.delete(session);
    this.ready.delete(session);
    await Promise.all(
      mine.map((p) =>
        p.then(
          (u) => this.deps.manager().stopDedicated(u),
          () => undefined,
        ),
      ),
    );
  }
}
