// The counters' checkpoint: restored with the tail of the log since it, the counters are those a full rebuild from the
// log gives — whatever the calls, wherever the checkpoint falls, with approvals released after midnight into
// yesterday's file — and a checkpoint that cannot be shown to match the log is never used.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { CounterStore } from '../../../electron/gateway/policy/counters.js';
import { CounterCheckpointer } from '../../../electron/gateway/state/counter-checkpoint.js';
import { rebuildCounters, restoreCounters } from '../../../electron/gateway/state/counter-rebuild.js';
import { record, removeDir, tempDir } from '../log/fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOWS = { a: MINUTE, b: HOUR, c: DAY } as const;
type Key = keyof typeof WINDOWS;
const KEYS = Object.keys(WINDOWS) as Key[];
/** Half an hour before midnight: most sequences cross it. */
const START = Date.parse('2026-11-24T23:30:00.000Z');

interface Call {
  gapMs: number;
  key: Key | undefined;
  /** A person approved it this long after its decision line: charged then, by a line in the decision's day file. */
  approvedAfterMs: number | undefined;
  outcomeAfterMs: number;
}

const call: fc.Arbitrary<Call> = fc.record({
  gapMs: fc.integer({ min: 0, max: 5 * MINUTE }),
  key: fc.option(fc.constantFrom(...KEYS), { nil: undefined, freq: 5 }),
  approvedAfterMs: fc.option(fc.integer({ min: 0, max: 50 * MINUTE }), { nil: undefined, freq: 2 }),
  outcomeAfterMs: fc.integer({ min: 0, max: 2 * MINUTE }),
});

/** One line the gateway writes at `at`; `charge`: the in-memory charge made with it, in the same step. */
interface Write {
  at: number;
  seq: number;
  key: Key | undefined;
  write: (log: CallLog) => void;
}

/** The lines of the calls, in the order the gateway writes them. */
function writesOf(calls: Call[]): Write[] {
  const writes: Write[] = [];
  let t = START;
  calls.forEach((c, i) => {
    t += c.gapMs;
    const id = `call-${i}`;
    const ts = new Date(t).toISOString();
    const charges = c.key ? [{ key: c.key, windowMs: WINDOWS[c.key] }] : undefined;
    const approved = c.approvedAfterMs !== undefined;
    const decided = t;
    writes.push({
      at: t,
      seq: writes.length,
      key: approved ? undefined : c.key,
      write: (log) => log.append(record(id, ts, approved || !charges ? {} : { charges })),
    });
    const released = decided + (c.approvedAfterMs ?? 0);
    if (approved)
      writes.push({
        at: released,
        seq: writes.length,
        key: c.key,
        write: (log) =>
          log.append(
            { id, ts: new Date(released).toISOString(), status: 'pending', ...(charges ? { charges } : {}) },
            ts,
          ),
      });
    const ended = released + c.outcomeAfterMs;
    writes.push({
      at: ended,
      seq: writes.length,
      key: undefined,
      write: (log) => log.append({ id, ts: new Date(ended).toISOString(), status: 'ok', durationMs: 5 }, ts),
    });
  });
  return writes.sort((x, y) => x.at - y.at || x.seq - y.seq);
}

let dir: string;
let logsDir: string;
let checkpointFile: string;
beforeEach(() => {
  dir = tempDir();
  logsDir = path.join(dir, 'logs');
  checkpointFile = path.join(dir, 'counters.json');
});
afterEach(() => removeDir(dir));

/** Runs the writes as a gateway would (charge, then its line), checkpointing before write `at`. */
function run(writes: Write[], checkpointAt: number): { live: CounterStore; clock: { now: number } } {
  const live = new CounterStore();
  const clock = { now: START };
  const log = new CallLog(logsDir);
  const checkpointer = new CounterCheckpointer({
    file: checkpointFile,
    logsDir,
    counters: live,
    clock: () => clock.now,
    policyWindowMs: () => DAY,
    diagnostics: (line) => {
      throw new Error(line);
    },
  });
  writes.forEach((w, i) => {
    clock.now = w.at;
    if (i === checkpointAt) checkpointer.save();
    if (w.key) live.charge([{ key: w.key, counter: w.key, windowMs: WINDOWS[w.key], max: 3 }], w.at);
    w.write(log);
  });
  if (checkpointAt >= writes.length) checkpointer.save();
  log.close();
  return { live, clock };
}

/** Counters restored at `now` from the checkpoint and the log after it (or the log alone). */
function restoreAt(now: number) {
  const counters = new CounterStore();
  return { how: restoreCounters(checkpointFile, logsDir, counters, now, DAY), counters };
}

const hitsOf = (store: CounterStore, now: number) =>
  Object.fromEntries(KEYS.map((key) => [key, store.hitsInWindow(key, WINDOWS[key], now)]));

describe('counters after a checkpoint and the tail of the log', () => {
  it('equal the counters rebuilt from the whole log, and those the gateway held', () => {
    fc.assert(
      fc.property(
        fc.array(call, { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 * HOUR }),
        (calls, where, laterMs) => {
          fs.rmSync(logsDir, { recursive: true, force: true });
          fs.rmSync(checkpointFile, { force: true });
          const writes = writesOf(calls);
          const checkpointAt = Math.floor(where * (writes.length + 1));
          const { live } = run(writes, checkpointAt);
          const now = (writes.at(-1)?.at ?? START) + laterMs;

          const { how, counters: restored } = restoreAt(now);
          expect(how.from).toBe('checkpoint');
          const rebuilt = new CounterStore();
          rebuildCounters(logsDir, rebuilt, now, DAY);
          expect(hitsOf(restored, now)).toEqual(hitsOf(rebuilt, now));
          expect(hitsOf(restored, now)).toEqual(hitsOf(live, now));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('count an approval released after midnight into yesterday’s file, after the checkpoint', () => {
    const decided = '2026-11-24T23:50:00.000Z';
    const released = Date.parse('2026-11-25T00:20:00.000Z');
    const writes: Write[] = [
      {
        at: Date.parse(decided),
        seq: 0,
        key: undefined,
        write: (log) => log.append(record('late', decided)),
      },
      {
        at: released,
        seq: 1,
        key: 'b',
        write: (log) =>
          log.append(
            {
              id: 'late',
              ts: new Date(released).toISOString(),
              status: 'pending',
              charges: [{ key: 'b', windowMs: HOUR }],
            },
            decided,
          ),
      },
    ];
    const { live } = run(writes, 1);
    expect(fs.readdirSync(logsDir)).toEqual(['2026-11-24.jsonl']);
    const now = released + MINUTE;
    const restored = restoreAt(now);
    expect(restored.how).toMatchObject({ from: 'checkpoint', hits: 0, tailCharges: 1 });
    expect(restored.counters.countInWindow('b', HOUR, now)).toBe(1);
    expect(live.countInWindow('b', HOUR, now)).toBe(1);
  });
});

describe('a checkpoint that cannot be shown to match the log', () => {
  const NOW = START + 2 * HOUR;
  /** Three charged calls, a checkpoint, two more. */
  function history(): void {
    const calls: Call[] = Array.from({ length: 5 }, () => ({
      gapMs: 10 * MINUTE,
      key: 'c',
      approvedAfterMs: undefined,
      outcomeAfterMs: 1000,
    }));
    // Each call's decision line, then its outcome: the checkpoint comes before the fourth decision.
    run(writesOf(calls), 6);
  }

  function restoredFromLog(now = NOW): { why: string; count: number } {
    const { how, counters: restored } = restoreAt(now);
    const rebuilt = new CounterStore();
    rebuildCounters(logsDir, rebuilt, now, DAY);
    expect(hitsOf(restored, now)).toEqual(hitsOf(rebuilt, now));
    if (how.from !== 'log') throw new Error(`restored from the checkpoint: ${JSON.stringify(how)}`);
    return { why: how.why, count: restored.countInWindow('c', DAY, now) };
  }

  const edit = (change: (value: Record<string, unknown>) => void) => {
    const value = JSON.parse(fs.readFileSync(checkpointFile, 'utf8')) as Record<string, unknown>;
    change(value);
    fs.writeFileSync(checkpointFile, JSON.stringify(value));
  };
  const files = (value: Record<string, unknown>) => value.files as { day: string; size: number }[];

  it('is used as it is, written 0600', () => {
    history();
    const restored = restoreAt(NOW);
    expect(restored.how).toMatchObject({ from: 'checkpoint', hits: 3, tailCharges: 2 });
    expect(restored.counters.countInWindow('c', DAY, NOW)).toBe(5);
    expect(fs.statSync(checkpointFile).mode & 0o777).toBe(0o600);
  });

  it('missing: rebuilt from the log', () => {
    history();
    fs.rmSync(checkpointFile);
    expect(restoredFromLog()).toEqual({ why: 'no checkpoint yet', count: 5 });
  });

  it('not JSON, of another shape, unreadable, or of a newer version: rebuilt from the log', () => {
    history();
    const good = fs.readFileSync(checkpointFile, 'utf8');
    fs.writeFileSync(checkpointFile, good.slice(0, good.length / 2));
    expect(restoredFromLog()).toMatchObject({ why: expect.stringMatching(/is not valid JSON/), count: 5 });
    fs.writeFileSync(checkpointFile, good);
    edit((v) => (v.counters = [{ key: 'c', windowMs: DAY, hits: ['soon'] }]));
    expect(restoredFromLog()).toMatchObject({
      why: expect.stringMatching(/^the checkpoint is not valid \(counters\.0\.hits\.0/),
      count: 5,
    });
    fs.rmSync(checkpointFile);
    fs.mkdirSync(checkpointFile);
    expect(restoredFromLog().why).toMatch(/^the checkpoint cannot be read \(EISDIR/);
    fs.rmdirSync(checkpointFile);
    fs.writeFileSync(checkpointFile, good);
    edit((v) => (v.version = 2));
    expect(restoredFromLog().why).toBe('the checkpoint was written by a newer Gatehouse (version 2)');
  });

  it('taken in the future, older than the longest window, or holding later charges: rebuilt from the log', () => {
    history();
    const takenAt = (JSON.parse(fs.readFileSync(checkpointFile, 'utf8')) as { takenAt: number }).takenAt;
    expect(restoredFromLog(takenAt - 1).why).toMatch(/taken in the future .*: the clock went back/);
    expect(restoredFromLog(takenAt + DAY).why).toMatch(/older than the longest window/);
    edit((v) => (v.counters as { hits: number[] }[])[0]!.hits.push(takenAt + 1));
    expect(restoredFromLog().why).toBe('the checkpoint holds charges later than the moment it was taken');
  });

  it('whose day file is gone, shorter, or changed since: rebuilt from the log', () => {
    history();
    const good = fs.readFileSync(checkpointFile, 'utf8');
    const covered = files(JSON.parse(good) as Record<string, unknown>).find((f) => f.size > 0)!;
    const day = path.join(logsDir, `${covered.day}.jsonl`);
    const text = fs.readFileSync(day, 'utf8');

    fs.writeFileSync(day, text.slice(0, covered.size - 10));
    expect(restoredFromLog().why).toBe(`${covered.day}.jsonl is shorter than when the checkpoint was taken`);

    // Same length, one byte before the checkpoint's position changed.
    const at = covered.size - 5;
    fs.writeFileSync(day, `${text.slice(0, at)}${text[at] === '0' ? '1' : '0'}${text.slice(at + 1)}`);
    expect(restoredFromLog().why).toBe(
      `${covered.day}.jsonl was changed or replaced since the checkpoint was taken`,
    );

    fs.rmSync(day);
    expect(restoredFromLog().why).toBe(`${covered.day}.jsonl, which the checkpoint covers, is gone`);
  });
});

describe('the checkpointer', () => {
  it('writes only when something was logged since, and says once why it cannot', () => {
    const counters = new CounterStore();
    const lines: string[] = [];
    const log = new CallLog(logsDir);
    const checkpointer = new CounterCheckpointer({
      file: checkpointFile,
      logsDir,
      counters,
      clock: () => START,
      policyWindowMs: () => DAY,
      diagnostics: (line) => lines.push(line),
    });
    log.append(record('one', new Date(START).toISOString(), { charges: [{ key: 'c', windowMs: DAY }] }));
    counters.charge([{ key: 'c', counter: 'c', windowMs: DAY, max: 9 }], START);
    checkpointer.save();
    const first = fs.statSync(checkpointFile).ino;
    checkpointer.save();
    expect(fs.statSync(checkpointFile).ino).toBe(first);
    log.append({ id: 'one', ts: new Date(START).toISOString(), status: 'ok' }, new Date(START).toISOString());
    checkpointer.save();
    expect(fs.statSync(checkpointFile).ino).not.toBe(first);

    fs.rmSync(checkpointFile);
    fs.mkdirSync(checkpointFile); // a folder where the file goes: the rename fails
    log.append(record('two', new Date(START).toISOString()));
    checkpointer.save();
    log.append(record('three', new Date(START).toISOString()));
    checkpointer.save();
    log.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rate limits: cannot save .*counters\.json: /);
  });
});

describe('counters rebuilt from the log', () => {
  it('leave out the charges the team’s Redis counted (team mode): they were never held here', () => {
    const log = new CallLog(logsDir);
    const ts = new Date(START).toISOString();
    log.append(record('team', ts, { charges: [{ key: 'b', windowMs: HOUR, counted: 'team' }] }));
    log.append(record('local', ts, { charges: [{ key: 'b', windowMs: HOUR, counted: 'local-fallback' }] }));
    log.append(record('here', ts, { charges: [{ key: 'c', windowMs: DAY }] }));
    log.close();
    const { how, counters } = restoreAt(START + MINUTE);
    expect(how).toEqual({ from: 'log', why: 'no checkpoint yet', charges: 2 });
    expect(hitsOf(counters, START + MINUTE)).toEqual({ a: [], b: [START], c: [START] });
  });
});
