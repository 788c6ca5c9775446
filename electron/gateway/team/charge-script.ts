// Team mode: the rate-limit counters several gateways share on one Redis (settings.json `counters`, DESIGN.md §9).
// This file is the one atomic operation on them: all of a call's shared charges checked and charged in one Lua script.
import crypto from 'node:crypto';

/**
 * KEYS: the counters (sorted sets of hits scored by time in ms); ARGV[1]: the call's id (each hit's member); then each
 * key's window (ms), then each key's max. Drops the hits that left each window, and charges every key only if every
 * one is under its max — nothing is read by one command and written by another, so no gateway can slip in between.
 * Time is the Redis server's (TIME): one clock for every gateway, whatever the skew between their machines.
 * Returns {1, now} when charged; {0, now, index, retryMs} when not: the key (1-based) that frees up last, and when.
 */
const SCRIPT = `
-- Redis before 5 replicates scripts verbatim and refuses writes after TIME unless told to replicate their effects.
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local n = #KEYS
local blocked, retry = 0, -1
for i = 1, n do
  local window = tonumber(ARGV[1 + i])
  local max = tonumber(ARGV[1 + n + i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= max then
    local freeing = now
    if max > 0 then
      freeing = tonumber(redis.call('ZRANGE', KEYS[i], count - max, count - max, 'WITHSCORES')[2])
    end
    local wait = freeing + window - now
    if wait > retry then blocked, retry = i, wait end
  end
end
if blocked > 0 then return {0, now, blocked, retry} end
for i = 1, n do
  redis.call('ZADD', KEYS[i], now, ARGV[1] .. '#' .. i)
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[1 + i]))
end
return {1, now}
`;

const SCRIPT_SHA = crypto.createHash('sha1').update(SCRIPT).digest('hex');

/** The two commands the script needs of a Redis client (ioredis's signatures). */
export interface ScriptRunner {
  evalsha(sha: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface SharedCharge {
  /** The Redis key, already namespaced by team. */
  key: string;
  windowMs: number;
  max: number;
}

export type ChargeResult =
  | { charged: true; now: number }
  /** `index`: the charge (0-based) whose window frees up last; `retryMs`: until an identical call would pass. */
  | { charged: false; now: number; index: number; retryMs: number };

/**
 * Checks and charges `charges` at once for the call `id`. The script is run by its SHA (EVALSHA); a Redis that does
 * not know it yet (first use, a restart, SCRIPT FLUSH) answers NOSCRIPT, and it is sent whole (EVAL), which caches it.
 */
export async function chargeAtomically(
  redis: ScriptRunner,
  charges: readonly SharedCharge[],
  id: string,
): Promise<ChargeResult> {
  const args = [
    ...charges.map((c) => c.key),
    id,
    ...charges.map((c) => c.windowMs),
    ...charges.map((c) => c.max),
  ];
  let reply: unknown;
  try {
    reply = await redis.evalsha(SCRIPT_SHA, charges.length, ...args);
  } catch (err) {
    if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
    reply = await redis.eval(SCRIPT, charges.length, ...args);
  }
  return parseReply(reply, charges.length);
}

function parseReply(reply: unknown, count: number): ChargeResult {
  const [ok, now, index, retryMs] = Array.isArray(reply) ? reply.map(Number) : [];
  if (ok === 1 && Number.isFinite(now)) return { charged: true, now: now as number };
  const valid =
    ok === 0 &&
    Number.isFinite(now) &&
    Number.isInteger(index) &&
    (index as number) >= 1 &&
    (index as number) <= count &&
    Number.isFinite(retryMs);
  if (!valid) throw new Error(`unexpected answer from the counters' script: ${JSON.stringify(reply)}`);
  return { charged: false, now: now as number, index: (index as number) - 1, retryMs: retryMs as number };
}
