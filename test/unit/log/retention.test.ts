import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneOldLogs } from '../../../electron/gateway/log/retention.js';
import { removeDir, tempDir } from './fixtures.js';

let dir: string;

beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

function touch(...names: string[]): void {
  for (const name of names) fs.writeFileSync(path.join(dir, name), '{}\n');
}

describe('pruneOldLogs', () => {
  it('keeps today and the retentionDays days before it, whatever the time of day (UTC)', () => {
    const days = [
      '2025-12-31',
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
      '2026-11-23',
      '2026-11-24',
    ];
    for (const now of [
      '2026-11-24T00:00:00.000Z',
      '2026-11-24T23:59:59.999Z',
      '2026-11-25T01:00:00.000+02:00',
    ]) {
      touch(...days.map((d) => `${d}.jsonl`));
      expect(pruneOldLogs(dir, 30, new Date(now)), now).toEqual([
        '2025-12-31.jsonl',
        '2026-10-23.jsonl',
        '2026-10-24.jsonl',
      ]);
      expect(fs.readdirSync(dir).sort()).toEqual([
        '2026-10-25.jsonl',
        '2026-10-26.jsonl',
        '2026-11-23.jsonl',
        '2026-11-24.jsonl',
      ]);
    }
  });

  it('with one day of retention keeps yesterday and today; across a month and a leap day too', () => {
    touch('2026-11-22.jsonl', '2026-11-23.jsonl', '2026-11-24.jsonl');
    expect(pruneOldLogs(dir, 1, new Date('2026-11-24T12:00:00Z'))).toEqual(['2026-11-22.jsonl']);
    touch('2028-02-28.jsonl', '2028-02-29.jsonl', '2028-03-01.jsonl');
    expect(pruneOldLogs(dir, 1, new Date('2028-03-01T00:00:00Z'))).toEqual([
      '2026-11-23.jsonl',
      '2026-11-24.jsonl',
      '2028-02-28.jsonl',
    ]);
  });

  it('leaves everything that is not a day file alone, and keeps future days', () => {
    touch(
      '2020-01-01.jsonl',
      'notes.txt',
      'gatehouse.log',
      '2020-01-01.jsonl.bak',
      '2020-02-30.jsonl',
      '20-01-01.jsonl',
    );
    touch('2027-01-01.jsonl');
    fs.mkdirSync(path.join(dir, '2020-01-02.jsonl'));
    fs.mkdirSync(path.join(dir, 'archive'));
    fs.writeFileSync(path.join(dir, 'archive', '2020-01-03.jsonl'), '');
    fs.symlinkSync(path.join(dir, 'notes.txt'), path.join(dir, '2020-01-04.jsonl'));

    expect(pruneOldLogs(dir, 30, new Date('2026-11-24T12:00:00Z'))).toEqual(['2020-01-01.jsonl']);
    expect(fs.readdirSync(dir).sort()).toEqual([
      '20-01-01.jsonl',
      '2020-01-01.jsonl.bak',
      '2020-01-02.jsonl',
      '2020-01-04.jsonl',
      '2020-02-30.jsonl',
      '2027-01-01.jsonl',
      'archive',
      'gatehouse.log',
      'notes.txt',
    ]);
    expect(fs.readdirSync(path.join(dir, 'archive'))).toEqual(['2020-01-03.jsonl']);
  });

  it('answers [] for a missing folder and refuses a retention below one day', () => {
    expect(pruneOldLogs(path.join(dir, 'none'), 30, new Date())).toEqual([]);
    touch('2020-01-01.jsonl');
    for (const days of [0, -1, 1.5, Number.NaN])
      expect(() => pruneOldLogs(dir, days, new Date())).toThrow(RangeError);
    expect(fs.readdirSync(dir)).toEqual(['2020-01-01.jsonl']);
  });
});
