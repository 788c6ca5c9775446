// The team's shared counters as the call path sees them: which of a call's charges are shared (limits with scope
// `global` or `grant`, when settings.json has `counters`), one atomic check-and-charge of those on Redis, and the
// verdict in the words of DESIGN.md §5. Session limits, monitored limits and the counters rebuilt at start stay local.
import crypto from 'node:crypto';
import type { CountersSettings } from '../../../shared/settings.js';
import type { CounterBackend } from '../../../shared/api/counter-shapes.js';
import { limitReached } from '../policy/decide.js';
import type { CounterCharge } from '../policy/types.js';
import { RedisLink, type LinkState } from './redis-link.js';

/** What the team's counters say of one call's shared charges. */
export type SharedVerdict =
  | { kind: 'charged' }
  /** A shared limit is reached: the call is rate-limited, like a local limit, with `reason` naming the team. */
  | { kind: 'over'; reason: string; retryAfterSeconds: number }
  /** Redis cannot be reached: `fallback` says whether the call is refused or counted locally; `reason` says why. */
  | { kind: 'unavailable'; fallback: 'deny' | 'local'; reason: string };

/** What the call path needs of the team's counters (calls/shared-charge.ts). */
export interface SharedCounting {
  /** The charges of `charges` the team shares; none when the counters are local. */
  sharedOf(charges: readonly CounterCharge[]): CounterCharge[];
  charge(shared: readonly CounterCharge[]): Promise<SharedVerdict>;
}

export interface SharedCountersDeps {
  settings: () => CountersSettings | undefined;
  clock: () => number;
  diagnostics: (line: string) => void;
  /** Told of every change of the counters' state (the dashboard's line). */
  onChange: (state: CounterBackend) => void;
  env: NodeJS.ProcessEnv;
  /** The longest one round trip to Redis may hold a call (default 250 ms). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 250;

/** The Redis as shown in messages and the dashboard: scheme, host and port — never who or with which password. */
export function redisLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'redis (an unreadable URL)';
  }
}

const isShared = (charge: CounterCharge) => charge.scope === 'global' || charge.scope === 'grant';

export class SharedCounters implements SharedCounting {
  private link: { config: string; settings: CountersSettings; link: RedisLink } | undefined;

  constructor(private readonly deps: SharedCountersDeps) {}

  sharedOf(charges: readonly CounterCharge[]): CounterCharge[] {
    return this.deps.settings() ? charges.filter(isShared) : [];
  }

  async charge(shared: readonly CounterCharge[]): Promise<SharedVerdict> {
    const current = this.connection();
    // settings.json stopped sharing the counters since the call was decided: they are counted here.
    if (!current) return { kind: 'unavailable', fallback: 'local', reason: 'counted locally' };
    const { settings, link } = current;
    if (link.state.state === 'unavailable') return this.unavailable(settings, link.state.error);
    const keys = shared.map((c) => ({
      key: `gatehouse:{${settings.team}}:${c.key}`,
      windowMs: c.windowMs,
      max: c.max,
    }));
    let result;
    try {
      result = await link.charge(keys, crypto.randomUUID());
    } catch (err) {
      return this.unavailable(settings, (err as Error).message);
    }
    if (result.charged) return { kind: 'charged' };
    const charge = shared[result.index] as CounterCharge;
    const retryAfterSeconds = Math.max(1, Math.ceil(result.retryMs / 1000));
    const reason = limitReached(charge, retryAfterSeconds, `, shared by team "${settings.team}"`);
    return { kind: 'over', reason, retryAfterSeconds };
  }

  /** Connects now when settings.json shares the counters (otherwise at the first call that needs them). */
  start(): void {
    this.connection();
  }

  /** The state of the counters now, as GET /api/counters shows it. */
  backend(): CounterBackend {
    const current = this.connection();
    return current ? describe(current.settings, current.link.state) : { state: 'local' };
  }

  close(): void {
    this.link?.link.close();
    this.link = undefined;
  }

  /** The link for the settings in force: made at first use, made anew when settings.json's `counters` change. */
  private connection() {
    const settings = this.deps.settings();
    const password = this.deps.env.GATEHOUSE_REDIS_PASSWORD;
    const config = settings ? JSON.stringify([settings, password]) : undefined;
    if (this.link?.config === config) return this.link;
    if (this.link) {
      this.link.link.close();
      this.deps.diagnostics(`rate-limit counters: ${redisLabel(this.link.settings.redis)} closed`);
    }
    this.link = undefined;
    if (!settings || config === undefined) {
      this.deps.onChange({ state: 'local' });
      return undefined;
    }
    const link = new RedisLink({
      url: settings.redis,
      ...(password ? { password } : {}),
      timeoutMs: this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      clock: this.deps.clock,
      onState: (state) => this.changed(settings, state),
    });
    this.link = { config, settings, link };
    return this.link;
  }

  private changed(settings: CountersSettings, state: LinkState): void {
    const where = `rate-limit counters of team "${settings.team}" on ${redisLabel(settings.redis)}`;
    if (state.state === 'connected') this.deps.diagnostics(`${where}: connected`);
    if (state.state === 'unavailable') {
      const meanwhile =
        settings.onUnavailable === 'local'
          ? 'counting locally meanwhile'
          : 'calls under a shared limit are refused meanwhile';
      this.deps.diagnostics(`${where}: unreachable (${state.error}); ${meanwhile}`);
    }
    this.deps.onChange(describe(settings, state));
  }

  private unavailable(settings: CountersSettings, error: string): SharedVerdict {
    const what = `the team's rate-limit counters (${redisLabel(settings.redis)}) are unreachable`;
    if (settings.onUnavailable === 'local') {
      return { kind: 'unavailable', fallback: 'local', reason: `${what} (${error}): counted locally` };
    }
    return {
      kind: 'unavailable',
      fallback: 'deny',
      reason: `${what}: ${error} — calls under a shared limit are refused until they are back; set counters.onUnavailable to "local" to count locally meanwhile`,
    };
  }
}

function describe(settings: CountersSettings, state: LinkState): CounterBackend {
  return {
    state: state.state,
    redis: redisLabel(settings.redis),
    team: settings.team,
    onUnavailable: settings.onUnavailable,
    ...(state.state !== 'connecting' ? { since: new Date(state.since).toISOString() } : {}),
    ...(state.state === 'unavailable' ? { error: state.error } : {}),
  };
}
