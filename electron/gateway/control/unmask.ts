// A server's config sent back by the dashboard (DESIGN.md §2, §7): the API showed it masked (mask.ts), so a value
// still equal to what the API showed means "keep the stored value". A mask anywhere else stands for nothing the
// gateway could recover and is refused, naming the field — a mask is never written into servers.json.
import type { ServerConfig } from '../../../shared/servers.js';
import type { SettingsPatch } from '../../../shared/settings.js';
import { MASK, maskServerConfig, maskUrlSecrets } from './mask.js';

export type UnmaskResult = { config: ServerConfig } | { refused: string };

class MaskLeft extends Error {}

function refuse(field: string): never {
  throw new MaskLeft(
    `re-enter the secret of ${field}: it was shown masked (${MASK}), and a mask cannot be saved — type the value, or leave the field exactly as shown to keep it`,
  );
}

/** `submitted` as is, or the stored value it stands for when it equals what the API showed of it. */
function keepShown(field: string, submitted: string, shown: unknown, stored: unknown): string {
  if (typeof stored === 'string' && submitted === shown) return stored;
  if (submitted.includes(MASK)) refuse(field);
  return submitted;
}

/** Env or header values: a value equal to the mask keeps the stored value of that key. */
function unmaskRecord(
  field: string,
  submitted: Readonly<Record<string, string>>,
  stored: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(submitted)) {
    const storedValue = stored && Object.hasOwn(stored, key) ? stored[key] : undefined;
    out[key] = keepShown(`${field}.${key}`, value, MASK, storedValue);
  }
  return out;
}

/**
 * Arguments: one equal to the shown argument at its place keeps the stored one; moved elsewhere (a line added
 * above it), it still does when every stored argument shown that way is the same value.
 */
function unmaskArgs(
  submitted: readonly string[],
  shown: readonly string[],
  stored: readonly string[],
): string[] {
  return submitted.map((arg, index) => {
    if (arg === shown[index]) return stored[index] as string;
    if (!arg.includes(MASK)) return arg;
    const candidates = new Set(stored.filter((_, i) => shown[i] === arg));
    if (candidates.size === 1) return [...candidates][0] as string;
    return refuse(`args[${index}]`);
  });
}

/** Every string of a value not covered above (cwd, roots, toolPrefix): a mask there is refused unless stored so. */
function refuseMasks(field: string, submitted: unknown, stored: unknown): void {
  if (typeof submitted === 'string') {
    if (submitted.includes(MASK) && submitted !== stored) refuse(field);
  } else if (Array.isArray(submitted)) {
    submitted.forEach((item, i) =>
      refuseMasks(`${field}[${i}]`, item, Array.isArray(stored) ? stored[i] : undefined),
    );
  }
}

/** The config to write for `submitted`, given what servers.json holds now for that name (if anything). */
export function unmaskServerConfig(submitted: ServerConfig, stored: ServerConfig | undefined): UnmaskResult {
  const shown = stored ? maskServerConfig(stored) : {};
  const storedFields = (stored ?? {}) as Record<string, unknown>;
  try {
    const out: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(submitted)) {
      const storedValue = storedFields[field];
      if (field === 'env' || field === 'headers') {
        out[field] = unmaskRecord(
          field,
          value as Record<string, string>,
          storedValue as Record<string, string>,
        );
      } else if (field === 'args') {
        const storedArgs = Array.isArray(storedValue) ? (storedValue as string[]) : [];
        out[field] = unmaskArgs(value as string[], (shown.args as string[] | undefined) ?? [], storedArgs);
      } else if (field === 'command' || field === 'url') {
        out[field] = keepShown(field, value as string, shown[field], storedValue);
      } else {
        refuseMasks(field, value, storedValue);
        out[field] = value;
      }
    }
    return { config: out as ServerConfig };
  } catch (err) {
    if (err instanceof MaskLeft) return { refused: err.message };
    throw err;
  }
}

/** A URL of settings.json sent back as the API showed it (masked): the stored URL it stands for, or undefined. */
function keptUrl(submitted: string, stored: unknown): string | undefined {
  return typeof stored === 'string' && maskUrlSecrets(stored) === submitted ? stored : undefined;
}

const urlRefusal = (field: string) =>
  `${field} holds the mask ${MASK} but is not the stored URL as shown: give the whole URL`;

/**
 * A settings change sent back as the API showed it: an OTLP header whose value is the mask keeps the value settings.json
 * holds for it (`stored`: that file's `otlp`, as read), and so do the counters' Redis URL and the team policy's URL
 * shown with their secrets masked (`storedCounters`, `storedSource`: that file's `counters` and `policySource`).
 */
export function unmaskSettingsPatch(
  submitted: SettingsPatch,
  stored: unknown,
  storedCounters?: unknown,
  storedSource?: unknown,
): { patch: SettingsPatch } | { refused: string } {
  let patch = submitted;
  const redis = submitted.counters?.redis;
  if (submitted.counters && redis?.includes(MASK)) {
    const kept = keptUrl(redis, (storedCounters as { redis?: unknown } | undefined)?.redis);
    if (kept === undefined) return { refused: urlRefusal('counters.redis') };
    patch = { ...patch, counters: { ...submitted.counters, redis: kept } };
  }
  const url = submitted.policySource?.url;
  if (submitted.policySource && url?.includes(MASK)) {
    const kept = keptUrl(url, (storedSource as { url?: unknown } | undefined)?.url);
    if (kept === undefined) return { refused: urlRefusal('policySource.url') };
    patch = { ...patch, policySource: { ...submitted.policySource, url: kept } };
  }
  const headers = patch.otlp?.headers;
  if (!patch.otlp || !headers) return { patch };
  const storedHeaders = (stored as { headers?: unknown } | undefined)?.headers;
  try {
    const kept = unmaskRecord(
      'otlp.headers',
      headers,
      typeof storedHeaders === 'object' && storedHeaders !== null
        ? (storedHeaders as Record<string, string>)
        : undefined,
    );
    return { patch: { ...patch, otlp: { ...patch.otlp, headers: kept } } };
  } catch (err) {
    if (err instanceof MaskLeft) return { refused: err.message };
    throw err;
  }
}
