import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
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
