// Team mode's one policy (settings.json `policySource`, README "One policy for the team"): the team's policy fetched at
// start and every `refreshSeconds` with its ETag, checked exactly as policy.json is, and kept last good on any failure.
// The last good one is also kept under state/, so a restart without the network enforces the team's last policy — and
// with none ever fetched, nothing passes until one arrives (fail closed): never the looser local policy.json.
import crypto from 'node:crypto';
import type { PolicySourceSettings } from '../../../shared/settings.js';
import { readTextIfExists, writeFileAtomic } from '../home/files.js';
import {
  parseTeamPolicy,
  allowsLocalOverlay,
  type TeamPolicy,
  type TeamPolicyInput,
} from '../policy/team-overlay.js';
import { fetchPolicy, type FetchLimits } from './policy-fetch.js';

/** Where the policy in force comes from, as the control API shows it (the URL with its secrets masked). */
export interface PolicySourceState {
  url: string;
  etag?: string;
  /** When the team policy in force was fetched (ms). */
  fetchedAt?: number;
  /** The last answer of the source, a 304 included (ms). */
  checkedAt?: number;
  /** Why the last fetch failed, while it does: the last good policy stays in force. */
  lastError?: string;
  /** No team policy has arrived yet: every call is denied until one does. */
  waiting: boolean;
  /** The team policy lets this gateway's policy.json add deny rules. */
  localOverlay: boolean;
}

export interface PolicySourceDeps {
  settings: () => PolicySourceSettings | undefined;
  /** The last good team policy, kept between runs (state/team-policy.json). */
  cacheFile: string;
  clock: () => number;
  diagnostics: (line: string) => void;
  /** The URL as people may see it: its credentials and other secrets masked. */
  shownUrl: (url: string) => string;
  /** The team's policy to enforce; undefined: team mode is off (policy.json decides again). */
  enforce: (team: TeamPolicyInput | undefined) => void;
  /** The state changed (a fetch succeeded or failed); `error` is the failure, if it was one. */
  changed: (error?: string) => void;
  limits?: FetchLimits;
}

interface Cached {
  /** sha256 of the URL: a cache of another URL is never enforced, and no credential is written to state/. */
  urlHash: string;
  etag?: string;
  fetchedAt: number;
  text: string;
}

const hashOf = (url: string) => crypto.createHash('sha256').update(url, 'utf8').digest('hex');

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export class PolicySource {
  private url: string | undefined;
  private refreshMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private team: TeamPolicy | undefined;
  private etag: string | undefined;
  private fetchedAt: number | undefined;
  private checkedAt: number | undefined;
  private lastError: string | undefined;
  /** The request in flight, and for which URL (one of an older URL is let finish, its answer dropped). */
  private running: { url: string; done: Promise<void> } | undefined;
  private stop = new AbortController();

  constructor(private readonly deps: PolicySourceDeps) {}

  /**
   * Follows settings.json: team mode starts (the cached policy of this URL, or nothing passes), ends, or moves to
   * another URL. Resolves once the first fetch of a new URL has been answered or has failed.
   */
  configure(): Promise<void> {
    const settings = this.deps.settings();
    const refreshMs = (settings?.refreshSeconds ?? 0) * 1000;
    if (settings?.url === this.url && refreshMs === this.refreshMs) return this.inFlight();
    clearInterval(this.timer);
    this.timer = undefined;
    this.refreshMs = refreshMs;
    if (settings) this.timer = setInterval(() => void this.refresh(), refreshMs).unref();
    if (settings?.url === this.url) return this.inFlight();
    this.url = settings?.url;
    this.team = undefined;
    this.etag = this.fetchedAt = this.checkedAt = this.lastError = undefined;
    if (!settings) {
      this.deps.enforce(undefined);
      this.deps.changed();
      return Promise.resolve();
    }
    if (!/^https:/.test(settings.url) && !isLoopback(settings.url)) {
      this.deps.diagnostics(
        `warning: the team policy comes over plain http from ${this.shown()}: anyone on the way can change it; use https://`,
      );
    }
    this.restoreCached(settings.url);
    this.enforce();
    return this.refresh();
  }

  /** Fetches the team policy now (one request at a time: a caller during one waits for it). */
  refresh(): Promise<void> {
    const url = this.url;
    if (url === undefined) return Promise.resolve();
    if (this.running?.url === url) return this.running.done;
    const running = {
      url,
      done: this.fetchOnce(url).finally(() => {
        if (this.running === running) this.running = undefined;
      }),
    };
    this.running = running;
    return running.done;
  }

  private inFlight(): Promise<void> {
    return this.running?.done ?? Promise.resolve();
  }

  state(): PolicySourceState | undefined {
    if (this.url === undefined) return undefined;
    return {
      url: this.shown(),
      ...(this.etag !== undefined ? { etag: this.etag } : {}),
      ...(this.fetchedAt !== undefined ? { fetchedAt: this.fetchedAt } : {}),
      ...(this.checkedAt !== undefined ? { checkedAt: this.checkedAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      waiting: this.team === undefined,
      localOverlay: this.team !== undefined && allowsLocalOverlay(this.team.policy),
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stop.abort();
  }

  private shown(): string {
    return this.url === undefined ? '' : this.deps.shownUrl(this.url);
  }

  private enforce(): void {
    this.deps.enforce(
      this.team
        ? { team: this.team }
        : {
            waiting: `the team policy from ${this.shown()} has not arrived yet${this.lastError ? ` (${this.lastError})` : ''}: Gatehouse denies every call until it does`,
          },
    );
  }

  private async fetchOnce(url: string): Promise<void> {
    const answer = await fetchPolicy(
      url,
      this.team ? this.etag : undefined,
      this.deps.limits,
      this.stop.signal,
    );
    if (url !== this.url || this.stop.signal.aborted) return; // settings moved on meanwhile, or the gateway stopped
    if (answer.kind === 'failed') return this.failed(answer.reason);
    const now = this.deps.clock();
    if (answer.kind === 'unchanged') return this.succeeded(now, false);
    const parsed = parseTeamPolicy(answer.text, this.shown());
    if (!parsed.ok) {
      const [first, ...more] = parsed.problems;
      return this.failed(
        `not a valid policy: ${first ?? ''}${more.length > 0 ? ` (and ${more.length} more)` : ''}`,
      );
    }
    const changed = parsed.team.version !== this.team?.version;
    this.team = parsed.team;
    this.etag = answer.etag;
    this.fetchedAt = now;
    this.saveCache(url);
    if (changed)
      this.deps.diagnostics(`team policy fetched from ${this.shown()}: version ${parsed.team.version}`);
    this.enforce();
    this.succeeded(now, changed);
  }

  private succeeded(now: number, changed: boolean): void {
    this.checkedAt = now;
    const recovered = this.lastError !== undefined;
    if (recovered) this.deps.diagnostics(`team policy: ${this.shown()} answers again`);
    this.lastError = undefined;
    if (recovered || changed) this.deps.changed();
  }

  private failed(reason: string): void {
    const kept = this.team
      ? `still enforcing the last good team policy (version ${this.team.version})`
      : 'no team policy yet: every call is denied';
    // Said once per reason: a source down for an hour is not 60 lines, nor 60 events.
    if (reason === this.lastError) return;
    this.deps.diagnostics(`team policy from ${this.shown()}: ${reason}; ${kept}`);
    this.lastError = reason;
    if (!this.team) this.enforce(); // the waiting policy's reason names the failure
    this.deps.changed(reason);
  }

  private restoreCached(url: string): void {
    let cached: Cached;
    try {
      const text = readTextIfExists(this.deps.cacheFile);
      if (text === undefined) return;
      cached = JSON.parse(text) as Cached;
    } catch (err) {
      this.deps.diagnostics(`${this.deps.cacheFile} cannot be read, not used: ${(err as Error).message}`);
      return;
    }
    if (cached.urlHash !== hashOf(url) || typeof cached.text !== 'string') return;
    const parsed = parseTeamPolicy(cached.text, this.shown());
    if (!parsed.ok) return;
    this.team = parsed.team;
    this.etag = cached.etag;
    this.fetchedAt = cached.fetchedAt;
    this.deps.diagnostics(
      `team policy: enforcing the one fetched ${new Date(cached.fetchedAt).toISOString()} (version ${parsed.team.version}) until ${this.shown()} answers`,
    );
  }

  private saveCache(url: string): void {
    const cached: Cached = {
      urlHash: hashOf(url),
      ...(this.etag !== undefined ? { etag: this.etag } : {}),
      fetchedAt: this.fetchedAt ?? this.deps.clock(),
      text: this.team?.text ?? '',
    };
    try {
      writeFileAtomic(this.deps.cacheFile, `${JSON.stringify(cached)}\n`, 0o600);
    } catch (err) {
      this.deps.diagnostics(`team policy not kept in ${this.deps.cacheFile}: ${(err as Error).message}`);
    }
  }
}
