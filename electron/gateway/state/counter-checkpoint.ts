// The rate-limit counters' checkpoint (state/counters.json): the live counters and the call log's position they cover
// — each day file's size at that moment — so a start restores them and reads only the lines written since (the tail)
// instead of whole day files (counter-rebuild.ts). Taken every CHECKPOINT_EVERY_MS while the log grows, and at stop.
//
// What is trusted, and why. The checkpoint is a cache; the call log is the record of truth, and whenever the two
// cannot be shown to agree the counters are rebuilt from the log: a missing, unreadable or malformed checkpoint, one
// of a newer version, one taken in the future (the clock went back: its hits could have left their windows too early)
// or longer ago than the longest window (nothing in it still counts), and one whose day files are gone, shorter, or no
// longer end with the bytes they ended with then (a log replaced, truncated or restored from a backup).
// What is NOT checked: that its counts equal the log's up to its position — that means reading the log, which is what
// it saves. An edited checkpoint can therefore lower counts until their windows pass (a raised count only refuses
// more). It lives in the home, beside policy.json, pins.json and pause.json, writable only by the user (mode 0600):
// whoever can edit it can as well raise a rule's max or remove the rule, so it adds no power to a local writer (DESIGN
// §8); an agent's call that names the home needs a person's approval (the tripwire). The start's diagnostics line says
// which checkpoint the counters came from, so a surprise is visible.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic, openFileIfExists } from '../home/files.js';
import { listLogFiles } from '../log/reader.js';
import type { CounterStore } from '../policy/counters.js';

const DAY_MS = 86_400_000;
const CHECKPOINT_EVERY_MS = 10_000;
/** Bytes before a recorded position whose hash is kept: the last line's chain hash is among them. */
const END_BYTES = 96;
const VERSION = 1;

const DayFile = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The file's size when the checkpoint was taken: every line before it is in `counters`, none after it. */
  size: z.number().int().nonnegative(),
  /** sha256 of the END_BYTES before `size`. */
  end: z.string().regex(/^[0-9a-f]{64}$/),
});

const Checkpoint = z.object({
  version: z.literal(VERSION),
  takenAt: z.number().int().nonnegative(),
  /** The longest window then (the policy's or a counter's): no line of a day before `from` could still count. */
  windowMs: z.number().int().positive(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  files: z.array(DayFile),
  counters: z.array(
    z.object({
      key: z.string(),
      windowMs: z.number().positive().finite(),
      hits: z.array(z.number().finite()),
    }),
  ),
});
type Checkpoint = z.infer<typeof Checkpoint>;

/** The first day whose file can hold a charge that counts at `now` (an outcome line goes to its decision's day). */
export function firstDayToRead(now: number, windowMs: number): string {
  return new Date(now - windowMs - DAY_MS).toISOString().slice(0, 10);
}

/**
 * A day file's size now and the hash of its bytes just before `at` (default: its size; '' when it is shorter than
 * that); undefined when it has gone.
 */
function positionOf(file: string, at?: number): { size: number; end: string } | undefined {
  const fd = openFileIfExists(file);
  if (fd === undefined) return undefined;
  try {
    const { size } = fs.fstatSync(fd);
    const upTo = at ?? size;
    return { size, end: size >= upTo ? endHash(fd, upTo) : '' };
  } finally {
    fs.closeSync(fd);
  }
}

function endHash(fd: number, size: number): string {
  const bytes = Buffer.alloc(Math.min(END_BYTES, size));
  const n = bytes.length > 0 ? fs.readSync(fd, bytes, 0, bytes.length, size - bytes.length) : 0;
  return crypto.hash('sha256', bytes.subarray(0, n));
}

/**
 * The counters and the size of every day file a later line can reach, in one synchronous step: the log is appended
 * synchronously on this same thread, right after its charge, so no line can fall between the two.
 */
function takeCheckpoint(
  logsDir: string,
  counters: CounterStore,
  now: number,
  policyWindowMs: number,
): Checkpoint {
  counters.pruneAll(now);
  const snapshot = counters.snapshot().counters;
  const windowMs = snapshot.reduce((longest, c) => Math.max(longest, c.windowMs), policyWindowMs);
  const from = firstDayToRead(now, windowMs);
  const files: Checkpoint['files'] = [];
  for (const name of listLogFiles(logsDir)) {
    const day = name.slice(0, 10);
    const position = day >= from ? positionOf(path.join(logsDir, name)) : undefined;
    if (position) files.push({ day, ...position });
  }
  return { version: VERSION, takenAt: now, windowMs, from, files, counters: snapshot };
}

/** What to read after a checkpoint: each day file from the byte where the checkpoint left it (0: all of it). */
export interface TailRead {
  file: string;
  from: number;
}

type CheckpointPlan =
  | { usable: true; takenAt: number; counters: Checkpoint['counters']; tail: TailRead[] }
  | { usable: false; why: string };

const unusable = (why: string): CheckpointPlan => ({ usable: false, why });

function parseCheckpoint(file: string): Checkpoint | string {
  let text: string | undefined;
  try {
    text = readTextIfExists(file);
  } catch (err) {
    return `the checkpoint cannot be read (${(err as Error).message})`;
  }
  if (text === undefined) return 'no checkpoint yet';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // No advice to fix it: the next checkpoint replaces it.
    return `the checkpoint is not valid JSON (${(err as Error).message})`;
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > VERSION)
    return `the checkpoint was written by a newer Gatehouse (version ${version})`;
  const parsed = Checkpoint.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `the checkpoint is not valid (${issue?.path.join('.') || 'its shape'}: ${issue?.message ?? '?'})`;
  }
  return parsed.data;
}

/**
 * Reads the checkpoint and checks it against the log as it is now; when usable, the day files' tails to charge after
 * it. `policyWindowMs`: the longest window of the policy in force.
 */
export function planFromCheckpoint(
  file: string,
  logsDir: string,
  now: number,
  policyWindowMs: number,
): CheckpointPlan {
  const checkpoint = parseCheckpoint(file);
  if (typeof checkpoint === 'string') return unusable(checkpoint);
  const { takenAt } = checkpoint;
  const taken = new Date(takenAt).toISOString();
  if (takenAt > now)
    return unusable(`the checkpoint was taken in the future (${taken}): the clock went back`);
  const windowMs = Math.max(policyWindowMs, checkpoint.windowMs);
  if (now - takenAt >= windowMs)
    return unusable(`the checkpoint (${taken}) is older than the longest window: none of it counts any more`);
  if (checkpoint.counters.some((c) => c.hits.some((hit) => hit > takenAt)))
    return unusable('the checkpoint holds charges later than the moment it was taken');
  const firstDay = firstDayToRead(now, windowMs);
  const recorded = new Map(checkpoint.files.map((f) => [f.day, f]));
  for (const f of checkpoint.files) {
    if (f.day < firstDay) continue; // removed by retention, or too old to count: either way not read
    const name = `${f.day}.jsonl`;
    const seen = positionOf(path.join(logsDir, name), f.size);
    if (seen === undefined) return unusable(`${name}, which the checkpoint covers, is gone`);
    if (seen.size < f.size) return unusable(`${name} is shorter than when the checkpoint was taken`);
    if (seen.end !== f.end) return unusable(`${name} was changed or replaced since the checkpoint was taken`);
  }
  const tail: TailRead[] = [];
  for (const name of listLogFiles(logsDir)) {
    const day = name.slice(0, 10);
    // A day before the checkpoint's own horizon held nothing that counted then, and only an outcome of a call
    // decided that day can still be added to it — at most an approval timeout later, within that horizon.
    if (day < firstDay || day < checkpoint.from) continue;
    const at = recorded.get(day)?.size ?? 0;
    tail.push({ file: path.join(logsDir, name), from: at });
  }
  return { usable: true, takenAt, counters: checkpoint.counters, tail };
}

interface CheckpointerOptions {
  file: string;
  logsDir: string;
  counters: CounterStore;
  clock: () => number;
  /** The longest window of the policy in force. */
  policyWindowMs: () => number;
  diagnostics: (line: string) => void;
}

/** Keeps state/counters.json current: every CHECKPOINT_EVERY_MS while the log grows (once started), and at stop. */
export class CounterCheckpointer {
  private timer: NodeJS.Timeout | undefined;
  /** The day files' sizes at the last checkpoint written: when they have not moved, no charge was logged since. */
  private written = '';
  private lastError = '';

  constructor(private readonly options: CheckpointerOptions) {}

  start(): this {
    this.timer ??= setInterval(() => this.save(), CHECKPOINT_EVERY_MS).unref();
    return this;
  }

  /** Writes a checkpoint when anything was logged since the last one; a failure is reported once, never thrown. */
  save(): void {
    const { file, logsDir, counters, clock, policyWindowMs, diagnostics } = this.options;
    try {
      const checkpoint = takeCheckpoint(logsDir, counters, clock(), policyWindowMs());
      const position = JSON.stringify(checkpoint.files);
      if (position === this.written) return;
      writeFileAtomic(file, `${JSON.stringify(checkpoint)}\n`, 0o600);
      this.written = position;
      this.lastError = '';
    } catch (err) {
      // Compared by its code: a message names the temporary file, which differs each time.
      const kind = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (kind !== this.lastError) diagnostics(`rate limits: cannot save ${file}: ${(err as Error).message}`);
      this.lastError = kind;
    }
  }

  /** The last checkpoint, then no more. */
  stop(): void {
    clearInterval(this.timer);
    this.save();
  }
}
