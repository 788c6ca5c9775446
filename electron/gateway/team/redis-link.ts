// One connection to the team's Redis, and what the gateway knows of it: connecting, connected, or unavailable since a
// moment (and why). Every round trip is time-boxed, so a hung Redis never holds a call; the client reconnects by itself
// and a probe notices a Redis that answers again. The client library is loaded with the first link: a gateway that
// counts alone never loads it (it took about 100 ms of a start here).
import type { Redis } from 'ioredis';
import { chargeAtomically, type ChargeResult, type SharedCharge } from './charge-script.js';

export type LinkState =
  | { state: 'connecting' }
  | { state: 'connected'; since: number }
  | { state: 'unavailable'; since: number; error: string };

export interface LinkOptions {
  url: string;
  /** Used when the URL carries no password (GATEHOUSE_REDIS_PASSWORD), so settings.json need not hold it. */
  password?: string;
  /** The longest a round trip (or the first connection) may take. */
  timeoutMs: number;
  clock: () => number;
  /** Told of every change of state. */
  onState: (state: LinkState) => void;
}

/** How often an unavailable Redis whose connection still looks open is asked again (a hung server). */
const PROBE_MS = 1000;
/** Reconnection attempts back off to at most this. */
const MAX_RECONNECT_MS = 1000;

/** The password a URL carries, '' when none (or when it is not a URL at all: the client then says what is wrong). */
function passwordOf(url: string): string {
  try {
    return new URL(url).password;
  } catch {
    return '';
  }
}

export class RedisLink {
  /** The client, once the library is loaded. */
  private client: Redis | undefined;
  private readonly loading: Promise<Redis>;
  private closed = false;
  private current: LinkState = { state: 'connecting' };
  private readonly secrets: string[];
  private probe: NodeJS.Timeout | undefined;
  private whenReady: Promise<void> | undefined;

  constructor(private readonly options: LinkOptions) {
    const inUrl = passwordOf(options.url);
    const password = inUrl ? undefined : options.password;
    this.secrets = [inUrl, safeDecode(inUrl), password ?? ''].filter((s) => s.length > 0);
    this.loading = import('ioredis').then(({ Redis }) => this.connect(Redis, password));
    this.loading.catch((err: Error) =>
      this.unavailable(`the Redis client could not be loaded: ${err.message}`),
    );
  }

  private connect(RedisClient: typeof Redis, password: string | undefined): Redis {
    const client = new RedisClient(this.options.url, {
      ...(password ? { password } : {}),
      connectionName: 'gatehouse',
      // A command while disconnected fails at once (the call is then refused or counted locally), and one that timed
      // out is never sent again later: a late charge would count a call that was not forwarded under it.
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: this.options.timeoutMs,
      connectTimeout: Math.max(this.options.timeoutMs, 1000),
      retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_MS),
      lazyConnect: this.closed,
    });
    if (this.closed) return client; // closed while the library loaded: never connected
    client.on('ready', () => this.connected());
    client.on('error', (err: Error) => this.unavailable(err.message));
    client.on('close', () => this.unavailable('the connection closed'));
    this.client = client;
    return client;
  }

  get state(): LinkState {
    return this.current;
  }

  /** Checks and charges at once (charge-script.ts), within the time box; throws when Redis did not answer in time. */
  async charge(charges: readonly SharedCharge[], id: string): Promise<ChargeResult> {
    try {
      const client = this.client;
      // Connected: each command is time-boxed by the client itself (commandTimeout), no timer of ours per call.
      // Otherwise the wait for the connection and the command share one time box.
      const result =
        client?.status === 'ready'
          ? await chargeAtomically(client, charges, id)
          : await this.withinTime(async () => {
              const loaded = this.client ?? (await this.loading);
              if (loaded.status !== 'ready') await this.ready(loaded);
              return chargeAtomically(loaded, charges, id);
            });
      if (this.current.state !== 'connected') this.connected();
      return result;
    } catch (err) {
      this.unavailable((err as Error).message);
      throw new Error(this.scrub((err as Error).message), { cause: err });
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.probe);
    const client = this.client;
    if (!client) return;
    client.removeAllListeners();
    client.on('error', () => undefined); // closing: what the socket says now concerns no call
    client.disconnect();
  }

  /** One wait for the connection, shared by every call that comes before it is ready; a failed attempt ends it. */
  private ready(client: Redis): Promise<void> {
    this.whenReady ??= new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        client.off('ready', settle).off('error', settle).off('close', closed);
        if (err) reject(err);
        else resolve();
      };
      const closed = () => settle(new Error('the connection closed'));
      client.once('ready', settle).once('error', settle).once('close', closed);
    }).finally(() => (this.whenReady = undefined));
    return this.whenReady;
  }

  private withinTime<T>(work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    return Promise.race([work(), late]).finally(() => clearTimeout(timer));
  }

  private connected(): void {
    clearInterval(this.probe);
    this.probe = undefined;
    if (this.current.state === 'connected') return;
    this.set({ state: 'connected', since: this.options.clock() });
  }

  private unavailable(error: string): void {
    const text = this.scrub(error);
    if (this.current.state === 'unavailable') {
      this.current = { ...this.current, error: text }; // the latest reason, the same outage
      return;
    }
    this.set({ state: 'unavailable', since: this.options.clock(), error: text });
    this.probe ??= setInterval(() => void this.ping(), PROBE_MS).unref();
  }

  /** A connection that looks open but did not answer (a hung server): asked again until it answers. */
  private async ping(): Promise<void> {
    const client = this.client;
    if (client?.status !== 'ready') return; // the client is reconnecting: `ready` will say when it is back
    try {
      await this.withinTime(() => client.ping());
      this.connected();
    } catch (err) {
      this.unavailable((err as Error).message);
    }
  }

  private set(state: LinkState): void {
    if (this.closed) return;
    this.current = state;
    this.options.onState(state);
  }

  /** An error's text without the password, whatever the client put in it. */
  private scrub(text: string): string {
    return this.secrets.reduce((out, secret) => out.split(secret).join('••••••'), text);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
