// The bench's generated history (bench/history/generate.ts) is what the gateway itself would have written: the same
// records appended through the real CallLog, in the same order, give the same bytes; every line is a valid record or
// outcome, the chain verifies, and the manifest counts what the files hold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallOutcome, CallRecord } from '../../../shared/call-record.js';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { argsHash } from '../../../electron/gateway/log/canonical.js';
import { verifyLog } from '../../../electron/gateway/log/verify.js';
import { parsePolicyText } from '../../../electron/gateway/policy/index.js';
import { generateHistory } from '../../../bench/history/generate.js';
import type { Manifest } from '../../../bench/history/manifest.js';

let dir: string;
let manifest: Manifest;
/** Each day file's lines, in file order. */
const lines = new Map<string, string[]>();

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-history-test-'));
  // Approvals are answered minutes later: with 5,000 calls a day some of their lines cross midnight.
  manifest = generateHistory(path.join(dir, 'home'), { callsPerDay: 5000, days: 4, lastDay: '2026-11-30' });
  for (const day of manifest.days) {
    const text = fs.readFileSync(path.join(dir, 'home', 'logs', `${day.day}.jsonl`), 'utf8');
    lines.set(day.day, text.split('\n').slice(0, -1));
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const withoutChain = (line: string) => {
  const { prev: _prev, hash: _hash, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return rest;
};

describe('the generated history', () => {
  it('is byte for byte what CallLog writes for the same records in the same order', () => {
    // The order of writing: each file's lines are in time order; across files, by their ts (a late outcome of one
    // day is written after the first calls of the next).
    const queue = [...lines].flatMap(([day, dayLines]) =>
      dayLines.map((line, index) => ({ day, index, line, ts: JSON.parse(line).ts as string })),
    );
    queue.sort((a, b) =>
      a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.day.localeCompare(b.day) || a.index - b.index,
    );
    const crossings = queue.filter((item) => item.ts.slice(0, 10) !== item.day).length;
    expect(crossings).toBeGreaterThan(0);

    const logs = path.join(dir, 'replayed');
    const log = new CallLog(logs);
    for (const item of queue) log.append(withoutChain(item.line) as CallRecord, `${item.day}T00:00:00.000Z`);
    log.close();
    for (const day of manifest.days) {
      const replayed = fs.readFileSync(path.join(logs, `${day.day}.jsonl`), 'utf8');
      expect(replayed).toBe(`${lines.get(day.day)?.join('\n')}\n`);
    }
  });

  it('holds valid records and outcomes whose argsHash is the canonical one, and its chain verifies', () => {
    for (const dayLines of lines.values()) {
      for (const line of dayLines) {
        const value = JSON.parse(line) as Record<string, unknown>;
        if ('exposedName' in value) {
          expect(CallRecord.safeParse(value).success).toBe(true);
          expect(value.argsHash).toBe(argsHash(value.arguments));
        } else {
          expect(CallOutcome.safeParse(value).success).toBe(true);
        }
      }
    }
    const verdict = verifyLog(path.join(dir, 'home', 'logs'));
    expect(verdict.problem).toBeUndefined();
    expect(verdict.warnings).toEqual([]);
    expect(verdict.records).toBe(manifest.lines);
  });

  it('counts in its manifest the calls, final statuses and markers its files hold', () => {
    for (const day of manifest.days) {
      const calls = new Map<string, { status: string; server: string; args: string }>();
      for (const line of lines.get(day.day) ?? []) {
        const value = JSON.parse(line) as Record<string, unknown>;
        const id = value.id as string;
        if ('exposedName' in value) {
          calls.set(id, {
            status: value.status as string,
            server: value.server as string,
            args: JSON.stringify(value.arguments),
          });
        } else {
          (calls.get(id) as { status: string }).status = value.status as string;
        }
      }
      expect(calls.size).toBe(day.calls);
      const statuses: Record<string, number> = {};
      for (const call of calls.values()) statuses[call.status] = (statuses[call.status] ?? 0) + 1;
      expect(statuses).toEqual(day.statuses);
      const holding = (marker: string) => [...calls.values()].filter((c) => c.args.includes(marker)).length;
      expect(holding(manifest.markers.rare)).toBe(day.rare);
      expect(holding(manifest.markers.veryRare)).toBe(day.veryRare);
      expect(holding(manifest.markers.nothing)).toBe(0);
      expect(holding(manifest.markers.absentPhrase)).toBe(0);
    }
    // About one call in a thousand of the 20,000.
    const rare = manifest.days.reduce((sum, d) => sum + d.rare, 0);
    expect(rare).toBeGreaterThan(5);
    expect(rare).toBeLessThan(40);
    expect(manifest.days.reduce((sum, d) => sum + d.veryRare, 0)).toBe(10);
  });

  it('comes with the policy that decided it, valid for the gateway', () => {
    const text = fs.readFileSync(path.join(dir, 'home', 'policy.json'), 'utf8');
    expect(parsePolicyText(text).ok).toBe(true);
  });
});
