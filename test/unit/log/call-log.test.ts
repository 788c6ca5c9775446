import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLog, type WriteSync } from '../../../electron/gateway/log/call-log.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { redactForLog, redactString } from '../../../electron/gateway/log/redact.js';
import { resultPreview } from '../../../electron/gateway/log/result-preview.js';
import { record, removeDir, tempDir } from './fixtures.js';

const TS = '2026-11-24T10:00:00.000Z';
const GHP = `ghp_${'Zq8'.repeat(12)}`;
const SK = `sk-ant-api03-${'Xy7_'.repeat(20)}`;
const API_KEY = 'plain-looking-value-42';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

function rawLog(): string {
  return fs
    .readdirSync(dir)
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
    .join('');
}

describe('the written log file holds no secret', () => {
  const args = {
    repo: 'octo/cat',
    token_hint: `clone with https://x:${GHP}@github.com/octo/cat`,
    messages: [{ role: 'user', content: `my key is ${SK}, keep it` }],
    api_key: API_KEY,
    config: { headers: { Authorization: `Bearer ${API_KEY}-bearer` } },
    author: 'Ada Lovelace',
  };

  it.each([true, false])('with logArgumentValues %s: arguments, error and result preview', (keepValues) => {
    const log = new CallLog(dir);
    log.append(record('a', TS, { arguments: redactForLog(args, keepValues) }));
    log.append(
      {
        id: 'a',
        ts: TS,
        status: 'error',
        durationMs: 1,
        error: redactString(`401 for token ${GHP} (sent api_key=${API_KEY})`),
        resultPreview: resultPreview({ content: [{ type: 'text', text: `echo ${SK}` }] }),
      },
      TS,
    );
    log.close();
    const raw = rawLog();
    for (const secret of [GHP, SK, API_KEY, GHP.slice(4, 24), SK.slice(13, 40)])
      expect(raw).not.toContain(secret);
    expect(raw).toContain('[redacted sha256:');
    const [logged] = readAllRecords(dir).records;
    expect(logged!.status).toBe('error');
    if (keepValues) {
      expect(logged!.arguments).toMatchObject({ repo: 'octo/cat', author: 'Ada Lovelace' });
    } else {
      expect(raw).not.toContain('octo/cat');
      expect(raw).not.toContain('Ada Lovelace');
    }
  });

  it('redacts what a caller forgot to redact (the writer is the last line of defence)', () => {
    const log = new CallLog(dir);
    log.append(record('b', TS, { arguments: args, reason: `denied: ${GHP}` }));
    log.append({
      id: 'b',
      ts: TS,
      status: 'error',
      error: `failed with ${SK}`,
      resultPreview: `api_key=${API_KEY}`,
    });
    log.close();
    const raw = rawLog();
    for (const secret of [GHP, SK, API_KEY]) expect(raw).not.toContain(secret);
    expect(readAllRecords(dir).records[0]!.arguments).toMatchObject({ author: 'Ada Lovelace' });
  });
});

describe('CallLog', () => {
  it('ends a line torn by a killed gateway before appending, so the next record stays readable', () => {
    const first = new CallLog(dir);
    first.append(record('a', TS));
    first.close();
    fs.appendFileSync(path.join(dir, '2026-11-24.jsonl'), '{"id":"torn","ts":"2026-11-2');
    const second = new CallLog(dir);
    second.append(record('b', TS));
    second.close();
    const { records, skippedLines } = readAllRecords(dir);
    expect(records.map((r) => r.id)).toEqual(['b', 'a']);
    expect(skippedLines).toBe(1);
    expect(fs.readFileSync(path.join(dir, '2026-11-24.jsonl'), 'utf8').endsWith('}\n')).toBe(true);
  });

  it('writes day files with mode 0600 in a 0700 folder', () => {
    const logs = path.join(dir, 'logs');
    const log = new CallLog(logs);
    log.append(record('a', TS));
    log.close();
    expect(fs.statSync(logs).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(logs, '2026-11-24.jsonl')).mode & 0o777).toBe(0o600);
  });
});

describe('CallLog: one client cannot bloat a day file', () => {
  it('stores a 1 MiB argument as a prefix, its length and its hash; argsHash stays the one given', () => {
    const big = 'A'.repeat(1024 * 1024);
    const log = new CallLog(dir);
    const written = log.append(
      record('big', TS, { arguments: { content: big, path: '/tmp/x' }, argsHash: 'sha256:full' }),
    );
    log.close();
    const raw = rawLog();
    expect(raw.length).toBeLessThan(8 * 1024);
    const [logged] = readAllRecords(dir).records;
    const hash = crypto.createHash('sha256').update(big).digest('hex');
    expect(logged!.arguments).toEqual({
      content: `${'A'.repeat(4096)}… [truncated: 1048576 characters, sha256 ${hash}]`,
      path: '/tmp/x',
    });
    expect(logged!.argsHash).toBe('sha256:full');
    expect(written.arguments).toEqual(logged!.arguments);
  });

  it('bounds the other text fields too: a huge resource URI, reason or error', () => {
    const uri = `file:///${'u'.repeat(500_000)}`;
    const log = new CallLog(dir);
    log.append(record('r', TS, { exposedName: uri, tool: 'resources/read', reason: 'r'.repeat(300_000) }));
    log.append({
      id: 'r',
      ts: TS,
      status: 'error',
      error: 'e'.repeat(300_000),
      resultPreview: 'p'.repeat(9000),
    });
    log.close();
    expect(rawLog().length).toBeLessThan(20 * 1024);
    const [logged] = readAllRecords(dir).records;
    expect(logged!.exposedName).toContain('[truncated: 500008 characters, sha256 ');
    expect(logged!.error!.length).toBeLessThan(2200);
  });

  it('two hundred calls of 4 MiB each make a day file of about a MiB', () => {
    const args = { a: 'x'.repeat(4 * 1024 * 1024) };
    const log = new CallLog(dir);
    for (let i = 0; i < 200; i++) log.append(record(`c${i}`, TS, { arguments: args }));
    log.close();
    expect(fs.statSync(path.join(dir, '2026-11-24.jsonl')).size).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('CallLog: a record is written whole or not at all', () => {
  /** fs.writeSync, taking at most `most()` bytes per call (a write() may take fewer bytes than it was given). */
  const taking = (most: () => number): WriteSync =>
    ((fd: number, data: string | Buffer, offset?: number, length?: number) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      const from = typeof data === 'string' ? 0 : (offset ?? 0);
      const want = typeof data === 'string' ? bytes.length : (length ?? bytes.length - from);
      const n = Math.min(want, most());
      if (n <= 0)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return fs.writeSync(fd, bytes, from, n);
    }) as WriteSync;

  it('continues a short write until the whole line is out', () => {
    const log = new CallLog(
      dir,
      () => true,
      taking(() => 7),
    );
    log.append(record('a', TS, { arguments: { text: 'ünïcode ✓ '.repeat(50) } }));
    log.append({ id: 'a', ts: TS, status: 'ok', durationMs: 3 });
    log.append(record('b', TS));
    log.close();
    const { records, skippedLines } = readAllRecords(dir);
    expect(records.map((r) => [r.id, r.status])).toEqual([
      ['b', 'pending'],
      ['a', 'ok'],
    ]);
    expect(skippedLines).toBe(0);
  });

  it('a write that fails part way throws, and the next record starts on a line of its own', () => {
    // The disk has room for 40 more bytes, then room again once space is freed.
    let room = 40;
    const failing = taking(() => {
      const n = room;
      room = Math.max(0, room - 40);
      return n;
    });
    const log = new CallLog(dir, () => true, failing);
    expect(() => log.append(record('torn', TS))).toThrow(/ENOSPC/);
    room = Number.POSITIVE_INFINITY;
    log.append(record('next', TS));
    log.close();
    const raw = fs.readFileSync(path.join(dir, '2026-11-24.jsonl'), 'utf8');
    expect(raw.split('\n')[0]).toHaveLength(40);
    const { records, skippedLines } = readAllRecords(dir);
    expect(records.map((r) => r.id)).toEqual(['next']);
    expect(skippedLines).toBe(1);
  });

  it('a writer that takes nothing is an error, not an endless loop', () => {
    const log = new CallLog(dir, () => true, (() => 0) as unknown as WriteSync);
    expect(() => log.append(record('a', TS))).toThrow(/took 0 of \d+ bytes/);
  });

  it('a day file that cannot be written (a folder in its place, a full disk) throws at every append until it can', () => {
    const file = path.join(dir, '2026-11-24.jsonl');
    fs.mkdirSync(file);
    const log = new CallLog(dir);
    expect(() => log.append(record('a', TS))).toThrow(/EISDIR/);
    expect(() => log.append(record('b', TS))).toThrow(/EISDIR/);
    fs.rmdirSync(file);
    fs.symlinkSync('/dev/full', file);
    expect(() => log.append(record('c', TS))).toThrow(/ENOSPC/);
    expect(() => log.append(record('d', TS))).toThrow(/ENOSPC/);
    fs.unlinkSync(file);
    log.append(record('e', TS));
    log.close();
    expect(readAllRecords(dir).records.map((r) => r.id)).toEqual(['e']);
  });
});

describe('CallLog: every text an agent chooses is redacted', () => {
  it('redacts a resource URI where a capability use names its target (exposedName)', () => {
    const log = new CallLog(dir);
    log.append(
      record('u', TS, {
        tool: 'resources/read',
        exposedName: `ev resources/read demo://r/1?sig=QmFyQmF6OTg3NjU0&token=${GHP}`,
      }),
    );
    log.close();
    const raw = rawLog();
    expect(raw).not.toContain('QmFyQmF6OTg3NjU0');
    expect(raw).not.toContain(GHP.slice(4, 24));
  });
});
