// A month of call history, written as the gateway writes it (`node --import tsx bench/history/generate.ts --out DIR
// --calls-per-day N --days D [--last-day YYYY-MM-DD]`): DIR/logs/YYYY-MM-DD.jsonl (UTC) with one decision line per
// call and the lines that follow it (an approval's answer, the outcome) in the order the gateway would append them,
// each chained by the gateway's own chainLine; DIR/policy.json that decided them, an empty servers.json, and
// DIR/manifest.json (written last: a folder without it is incomplete) saying what was written, day by day. The same
// plan gives the same bytes (a seeded random source). Prints the manifest as one JSON line.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GRANTS, TOOLS } from './catalog.js';
import { DayFile, DueLines } from './day-files.js';
import { decisionJson, outcomeJson, refusal, ToolLines } from './lines.js';
import { MARKERS, type HistoryPlan, type Manifest } from './manifest.js';
import { HISTORY_POLICY } from './policy.js';
import { Random, uuidOf } from './random.js';
import { TextSource } from './text.js';
import type { ToolSpec } from './tool-spec.js';

const DAY_MS = 86_400_000;
/** The rare marker's odds for each call (its calls are counted exactly in the manifest). */
const RARE_CHANCE = 1 / 1000;
const VERY_RARE_CALLS = 10;
const APPROVAL_TIMEOUT_S = HISTORY_POLICY.approvalTimeoutSeconds;
const ANSWER_PLACES = [
  ['dashboard', 'in the dashboard'],
  ['popup', 'in the approval popup'],
  ['notification', 'from a notification'],
  ['terminal', 'in a terminal (gatehouse approvals)'],
] as const;

/** A draw table: an item by weight, from one uniform number. */
function weighted<T extends { weight: number }>(items: readonly T[]): (r: Random) => T {
  const table: T[] = [];
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) {
    for (let i = 0; i < Math.round((item.weight / total) * 10_000); i++) table.push(item);
  }
  return (r) => table[Math.floor(r.next() * table.length)] as T;
}

/** `args` with `marker` added to its longest top-level string; undefined when it has none. */
function withMarker(args: Record<string, unknown>, marker: string): Record<string, unknown> | undefined {
  let longest: string | undefined;
  for (const key of Object.keys(args)) {
    const value = args[key];
    if (
      typeof value === 'string' &&
      (longest === undefined || value.length > (args[longest] as string).length)
    ) {
      longest = key;
    }
  }
  return longest === undefined ? undefined : { ...args, [longest]: `${args[longest] as string} ${marker}` };
}

/** A duration around `ms`: mostly near it, now and then several times longer. */
function durationNear(r: Random, ms: number): number {
  const x = r.next();
  return Math.max(1, Math.round(ms * (0.3 + x * x * x * 6)));
}

const iso = (ms: number) => new Date(ms).toISOString();
const preview = (text: string) => (text.length > 480 ? text.slice(0, 480) : text);

export function generateHistory(home: string, plan: HistoryPlan): Manifest {
  const started = performance.now();
  const r = new Random(plan.seed ?? 20_261_207);
  const text = new TextSource(r);
  const drawTool = weighted(TOOLS.map((spec) => ({ weight: spec.weight, lines: new ToolLines(spec) })));
  const drawGrant = weighted(GRANTS);
  const logs = path.join(home, 'logs');
  fs.mkdirSync(logs, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(home, 'policy.json'), `${JSON.stringify(HISTORY_POLICY, null, 2)}\n`);
  fs.writeFileSync(path.join(home, 'servers.json'), '{ "mcpServers": {} }\n', { mode: 0o600 });

  const firstDayMs = Date.parse(`${plan.lastDay}T00:00:00.000Z`) - (plan.days - 1) * DAY_MS;
  const total = plan.callsPerDay * plan.days;
  const veryRareAt = new Set(
    Array.from({ length: VERY_RARE_CALLS }, (_, k) => Math.floor(((k + 0.5) * total) / VERY_RARE_CALLS)),
  );
  const sessions = new Map<string, string>();
  const due = new DueLines();
  const files: DayFile[] = [];
  let seq = 0;
  let rareOwed = 0;
  let veryRareOwed = 0;

  const later = (at: number, file: DayFile, json: string) => due.push({ at, seq: seq++, file, json });
  const writeDueUntil = (t: number) => {
    for (let next = due.peek(); next && next.at <= t; next = due.peek()) {
      due.pop();
      next.file.append(next.json);
    }
  };

  for (let d = 0; d < plan.days; d++) {
    const dayMs = firstDayMs + d * DAY_MS;
    const day = iso(dayMs).slice(0, 10);
    const file = new DayFile(path.join(logs, `${day}.jsonl`), day, files.at(-1));
    files.push(file);
    const slot = DAY_MS / plan.callsPerDay;
    for (let i = 0; i < plan.callsPerDay; i++) {
      const t = Math.floor(dayMs + (i + r.next()) * slot);
      writeDueUntil(t);
      // Lines come late by minutes at most: the file of two days back is complete.
      if (i === 0 && d >= 2) files[d - 2]?.close();
      const index = d * plan.callsPerDay + i;
      if (r.chance(RARE_CHANCE)) rareOwed++;
      if (veryRareAt.has(index)) veryRareOwed++;
      writeCall(t, file);
    }
  }
  writeDueUntil(Infinity);
  for (const file of files.slice(-2)) file.close();

  function writeCall(t: number, file: DayFile): void {
    const { grant } = drawGrant(r);
    const tool = drawTool(r).lines;
    const spec = tool.spec;
    let session = sessions.get(grant);
    if (session === undefined || r.chance(1 / 400)) {
      session = uuidOf(r);
      sessions.set(grant, session);
    }
    let args = spec.args(text, r);
    const counts = file.counts;
    if (veryRareOwed > 0 || rareOwed > 0) {
      const marked = withMarker(args, veryRareOwed > 0 ? MARKERS.veryRare : MARKERS.rare);
      if (marked && veryRareOwed > 0)
        [args, veryRareOwed, counts.veryRare] = [marked, veryRareOwed - 1, counts.veryRare + 1];
      else if (marked) [args, rareOwed, counts.rare] = [marked, rareOwed - 1, counts.rare + 1];
    }
    // The catalog's arguments have their keys in order, so their JSON is their canonical JSON (tested).
    const argsJson = JSON.stringify(args);
    const call = {
      id: uuidOf(r),
      ts: iso(t),
      grant,
      session,
      argsJson,
      argsHash: `sha256:${crypto.hash('sha256', argsJson)}`,
    };
    let status: string;
    let piece: string;
    const limit = spec.limit;
    if (spec.deniedFor?.grant === grant) {
      [status, piece] = ['denied', refusal(spec.deniedFor.rule, spec.deniedFor.reason, 'denied')];
    } else if (spec.decision === 'deny' || spec.decision === 'invalid_args') {
      [status, piece] = [spec.decision === 'deny' ? 'denied' : 'invalid_args', tool.refused];
    } else if (limit && r.chance(grant === 'nightly-batch' ? limit.over * 3 : limit.over)) {
      const reason = `rate limit "${limit.counter}" reached (${limit.max} per ${limit.windowText}); retry in ${r.int(1, 60)} s`;
      [status, piece] = ['rate_limited', refusal(spec.rule, reason, 'rate_limited')];
    } else {
      [status, piece] = ['pending', tool.pendingFor(grant)];
    }
    file.append(decisionJson(call, tool, piece));
    const final = status === 'pending' ? followUp(spec, t, call.id, file) : status;
    counts.calls++;
    counts.statuses[final] = (counts.statuses[final] ?? 0) + 1;
    const key = `${spec.server}|${final}`;
    counts.serverStatuses[key] = (counts.serverStatuses[key] ?? 0) + 1;
  }

  /** Schedules the lines after a pending decision (an answer a person gives minutes later, an outcome). */
  function followUp(spec: ToolSpec, t: number, id: string, file: DayFile): string {
    let start = t;
    if (spec.decision === 'approve') {
      const roll = r.next();
      const [via, place] = r.pick(ANSWER_PLACES);
      if (roll < 0.08) {
        const at = t + APPROVAL_TIMEOUT_S * 1000 + r.int(0, 20);
        const reason = `approval timed out after ${APPROVAL_TIMEOUT_S} s — if a person approves it in Gatehouse within 10 minutes, an identical retry will pass`;
        later(at, file, JSON.stringify({ id, ts: iso(at), status: 'timed_out', durationMs: at - t, reason }));
        return 'timed_out';
      }
      const at = t + 4000 + Math.round(r.next() ** 2 * 8 * 60_000);
      if (roll < 0.2) {
        const approval = { decision: 'deny', by: 'the user', via, at: iso(at) };
        const reason = `rejected by the user ${place}`;
        later(
          at,
          file,
          JSON.stringify({ id, ts: iso(at), status: 'rejected', durationMs: at - t, reason, approval }),
        );
        return 'rejected';
      }
      const remember = r.chance(0.85) ? 'once' : { minutes: 15 };
      const approval = { decision: 'approve', by: 'the user', via, at: iso(at), remember };
      later(at, file, JSON.stringify({ id, ts: iso(at), status: 'pending', approval }));
      start = at;
    }
    const end = start + durationNear(r, spec.ms ?? 10);
    const error = r.chance(spec.errors ?? 0) ? preview(spec.failure?.(text, r) ?? 'failed') : undefined;
    const result = error ?? preview(spec.result?.(text, r) ?? '');
    later(end, file, outcomeJson(id, iso(end), end - t, error, result));
    return error === undefined ? 'ok' : 'error';
  }

  const days = files.map((f) => f.counts);
  const sum = (key: 'calls' | 'lines' | 'bytes') => days.reduce((s, c) => s + c[key], 0);
  const manifest: Manifest = {
    plan,
    markers: MARKERS,
    days,
    calls: sum('calls'),
    lines: sum('lines'),
    bytes: sum('bytes'),
    generateMs: Math.round(performance.now() - started),
  };
  fs.writeFileSync(path.join(home, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  const out = option(args, '--out');
  if (!out) {
    throw new Error('usage: generate.ts --out DIR [--calls-per-day N] [--days D] [--last-day YYYY-MM-DD]');
  }
  const manifest = generateHistory(out, {
    callsPerDay: Number(option(args, '--calls-per-day') ?? 100_000),
    days: Number(option(args, '--days') ?? 30),
    lastDay: option(args, '--last-day') ?? iso(Date.now() - DAY_MS).slice(0, 10),
  });
  process.stdout.write(`${JSON.stringify(manifest)}\n`);
}
