// Resource subscriptions of the client sessions to the shared upstreams: the upstream is subscribed once, when the
// first session asks, and unsubscribed when the last one lets go; updates go to the sessions that asked.
export class SubscriptionBook {
  private readonly bySession = new Map<string, Set<string>>();
  private readonly serverOf = new Map<string, string>();

  constructor(
    private readonly upstream: (server: string, uri: string, subscribe: boolean) => Promise<void>,
  ) {}

  async subscribe(session: string, uri: string, server: string): Promise<void> {
    const first = !this.anyone(uri);
    const set = this.bySession.get(session) ?? new Set<string>();
    set.add(uri);
    this.bySession.set(session, set);
    this.serverOf.set(uri, server);
    if (first) await this.upstream(server, uri, true);
  }

  async unsubscribe(session: string, uri: string): Promise<void> {
    this.bySession.get(session)?.delete(uri);
    await this.release(uri);
  }

  /** The sessions that asked to hear about this URI. */
  listeners(uri: string): string[] {
    return [...this.bySession].filter(([, uris]) => uris.has(uri)).map(([s]) => s);
  }

  async dropSession(session: string): Promise<void> {
    const uris = [...(this.bySession.get(session) ?? [])];
    this.bySession.delete(session);
    for (const uri of uris) await this.release(uri).catch(() => undefined);
  }

  private async release(uri: string): Promise<void> {
    const server = this.serverOf.get(uri);
    if (server === undefined || this.anyone(uri)) return;
    this.serverOf.delete(uri);
    await this.upstream(server, uri, false);
  }

  private anyone(uri: string): boolean {
    for (const uris of this.bySession.values()) if (uris.has(uri)) return true;
    return false;
  }
}
