import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import { DayChain, GENESIS } from '../../../electron/gateway/log/chain.js';
import { verifyLog } from '../../../electron/gateway/log/verify.js';
import { record, removeDir, tempDir } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

const DAY = '2026-11-24';
const at = (minute: number, day = DAY) => `${day}T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** A day of calls, each a decision line and an outcome line, written by the real writer. */
function writeDay(calls: number, day = DAY, log = new CallLog(dir)): string[] {
  for (let i = 0; i < calls; i++) {
    log.append(record(`${day}-c${i}`, at(i, day)));
    log.append({ id: `${day}-c${i}`, ts: at(i, day), status: 'ok', durationMs: 1 });
  }
  log.close();
  return fs
    .readFileSync(path.join(dir, `${day}.jsonl`), 'utf8')
    .split('\n')
    .slice(0, -1);
}

function verifyLines(lines: string[]) {
  const chain = new DayChain(DAY, undefined);
  lines.forEach((line, i) => chain.push(line, i));
  return chain.end();
}

describe('the chain of a day file', () => {
  it('passes an intact day, its head the last line’s hash', () => {
    const lines = writeDay(5);
    const verdict = verifyLines(lines);
    expect(verdict.problem).toBeUndefined();
    expect(verdict.records).toBe(10);
    expect(verdict.head).toBe(JSON.parse(lines.at(-1)!).hash);
    expect(JSON.parse(lines[0]!).prev).toBe(GENESIS);
  });

  it('passes a torn last line (a kill -9 mid-write) with a warning', () => {
    const lines = writeDay(3);
    const verdict = verifyLines([...lines, lines[2]!.slice(0, 40)]);
    expect(verdict.problem).toBeUndefined();
    expect(verdict.records).toBe(6);
    expect(verdict.warnings).toEqual([
      `${DAY}.jsonl line 7: a torn last line (a gateway killed mid-write), skipped`,
    ]);
  });

  it('catches an edited byte', () => {
    const lines = writeDay(4);
    lines[3] = lines[3]!.replace('"durationMs":1', '"durationMs":9');
    expect(verifyLines(lines).problem).toMatchObject({ line: 4, id: `${DAY}-c1`, what: 'changed' });
  });

  it('catches an edited byte in the last line, and a line that no longer parses', () => {
    const lines = writeDay(2);
    expect(verifyLines([...lines.slice(0, 3), lines[3]!.replace('ok', 'ko')]).problem).toMatchObject({
      line: 4,
      what: 'changed',
    });
    expect(verifyLines([lines[0]!.replace('{', '['), ...lines.slice(1)]).problem).toMatchObject({
      line: 1,
      what: 'changed',
    });
  });

  it('catches a removed line', () => {
    const lines = writeDay(4);
    lines.splice(4, 1);
    expect(verifyLines(lines).problem).toMatchObject({ line: 5, id: `${DAY}-c2`, what: 'removed' });
  });

  it('catches an inserted line: a copy, a line of its own, one without a hash', () => {
    const lines = writeDay(4);
    const copy = [...lines.slice(0, 5), lines[1]!, ...lines.slice(5)];
    expect(verifyLines(copy).problem).toMatchObject({ line: 6, id: `${DAY}-c0`, what: 'inserted' });
    const later = [...lines.slice(0, 2), lines[5]!, ...lines.slice(2)];
    expect(verifyLines(later).problem).toMatchObject({ line: 3, what: 'inserted' });
    const forged = lines[2]!.replace(`${DAY}-c1`, 'forged');
    expect(verifyLines([...lines.slice(0, 2), forged, ...lines.slice(2)]).problem).toMatchObject({
      line: 3,
      id: 'forged',
      what: 'inserted',
    });
    const plain = JSON.stringify(record('plain', at(9)));
    expect(verifyLines([...lines.slice(0, 2), plain, ...lines.slice(2)]).problem).toMatchObject({
      line: 3,
      id: 'plain',
      what: 'inserted',
    });
  });

  it('catches a reordered pair', () => {
    const lines = writeDay(4);
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    expect(verifyLines(lines).problem).toMatchObject({ line: 3, id: `${DAY}-c1`, what: 'reordered' });
  });
});

describe('the writer', () => {
  it('starts each day by naming the day before, and verifyLog walks the days', () => {
    writeDay(2, '2026-11-23');
    const day2 = writeDay(2, DAY);
    const day1 = fs.readFileSync(path.join(dir, '2026-11-23.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(day2[0]!).prev).toBe(JSON.parse(day1.at(-1)!).hash);
    expect(verifyLog(dir)).toMatchObject({
      days: 2,
      records: 8,
      head: JSON.parse(day2.at(-1)!).hash,
      warnings: [],
    });
    expect(verifyLog(dir, DAY)).toMatchObject({ days: 1, records: 4 });
  });

  it('accepts an outcome written late to the day before, and catches the end of that day removed', () => {
    const log = new CallLog(dir);
    log.append(record('late', at(59, '2026-11-23')));
    log.append(record('next', at(0)));
    log.append({ id: 'late', ts: at(1), status: 'ok' }, at(59, '2026-11-23'));
    log.close();
    expect(verifyLog(dir).problem).toBeUndefined();
    const file = path.join(dir, '2026-11-23.jsonl');
    fs.writeFileSync(file, '');
    expect(verifyLog(dir).problem).toMatchObject({ day: DAY, line: 1, id: 'next', what: 'removed' });
  });

  it('goes on from the last whole line after a torn tail, across a restart', () => {
    const lines = writeDay(2);
    const file = path.join(dir, `${DAY}.jsonl`);
    fs.appendFileSync(file, lines[0]!.slice(0, 30));
    writeDay(1, DAY, new CallLog(dir));
    const after = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(after[5]!).prev).toBe(JSON.parse(after[3]!).hash);
    const verdict = verifyLog(dir);
    expect(verdict.problem).toBeUndefined();
    expect(verdict.records).toBe(6);
    expect(verdict.warnings).toEqual([
      `${DAY}.jsonl line 5: a torn line ended at a restart, skipped (not a record)`,
    ]);
  });

  it('hashes what is stored: the redacted line', () => {
    const log = new CallLog(dir);
    log.append(record('s', at(0), { arguments: { password: 'hunter2-hunter2' } }));
    log.close();
    const line = fs.readFileSync(path.join(dir, `${DAY}.jsonl`), 'utf8');
    expect(line).not.toContain('hunter2');
    expect(verifyLog(dir)).toMatchObject({ records: 1, warnings: [] });
  });

  it('starts the chain after lines written before it', () => {
    fs.writeFileSync(path.join(dir, `${DAY}.jsonl`), `${JSON.stringify(record('old', at(0)))}\n`);
    writeDay(1, DAY, new CallLog(dir));
    const verdict = verifyLog(dir);
    expect(verdict.problem).toBeUndefined();
    expect(verdict.warnings).toEqual([
      `${DAY}.jsonl: 1 line(s) written before the chain began (not provable)`,
    ]);
  });
});
