// `gatehouse log verify` and `gatehouse log export` on a log written by real calls through the gateway: the chain
// holds, and a copy of the log with a byte edited, a line removed, inserted or two lines swapped is refused, naming
// the record; the export holds the calls its filter selects. The CLI runs asynchronously: the gateway answering the
// calls lives in this process.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { createClient } from '../../../shared/api/client.js';
import {
  runCli,
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const POLICY = { version: '1', default: 'allow', tools: { 'get-sum': { action: 'deny' } } };

describe('gatehouse log verify and log export', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  let agent: Client;
  let dayFile: string;
  const copies: string[] = [];

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy: POLICY });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
    agent = await connectClient(runtime.mcpUrl, home.tokens.test!);
    for (let i = 0; i < 4; i++)
      await agent.callTool({ name: 'ev__echo', arguments: { message: `=hello ${i}, "you"` } });
    await agent.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } });
    const logs = path.join(home.home, 'logs');
    dayFile = path.join(logs, fs.readdirSync(logs)[0]!);
  });
  afterAll(async () => {
    await agent?.close();
    await gateway?.stop();
    home?.cleanup();
    for (const copy of copies) fs.rmSync(copy, { recursive: true, force: true });
  });

  /** A copy of the home's log with its day file's lines changed by `edit`. */
  function tampered(edit: (lines: string[]) => string[]): string {
    const copy = fs.mkdtempSync(path.join(path.dirname(home.home), 'gatehouse-tampered-'));
    copies.push(copy);
    fs.mkdirSync(path.join(copy, 'logs'));
    const lines = fs.readFileSync(dayFile, 'utf8').split('\n').slice(0, -1);
    fs.writeFileSync(path.join(copy, 'logs', path.basename(dayFile)), `${edit(lines).join('\n')}\n`);
    return copy;
  }
  const idOf = (line: string) => (JSON.parse(line) as { id: string }).id;

  it('passes the log the calls wrote, and the API shows the same head', async () => {
    const run = await runCli(home.home, 'log', 'verify');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^log verified: 1 day file, 9 chained lines; head \d{4}-\d{2}-\d{2} [0-9a-f]{64}\n$/,
    );
    const head = await createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken }).getLogHead(
      {},
    );
    expect(head).toMatchObject({ records: 9, ok: true, warnings: [] });
    expect(run.stdout).toContain(head.head!);
    expect((await runCli(home.home, 'log', 'verify', '--since', '1d')).code).toBe(0);
  });

  it('names the record of an edited byte, a removed, an inserted line and a swapped pair', async () => {
    const lines = fs.readFileSync(dayFile, 'utf8').split('\n').slice(0, -1);
    const cases: [(l: string[]) => string[], RegExp][] = [
      [
        (l) => l.map((line, i) => (i === 2 ? line.replace('hello 1', 'hello 7') : line)),
        /first changed record .* line 3: record /,
      ],
      [(l) => l.filter((_, i) => i !== 3), /first removed record .* line 4: record /],
      [(l) => [...l.slice(0, 5), l[1]!, ...l.slice(5)], /first inserted record .* line 6: record /],
      [(l) => [l[0]!, l[1]!, l[3]!, l[2]!, ...l.slice(4)], /first reordered record .* line 3: record /],
    ];
    for (const [edit, words] of cases) {
      const copy = tampered(edit);
      const run = await runCli(copy, 'log', 'verify');
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(words);
      const line = Number(/line (\d+): record/.exec(run.stderr)![1]);
      expect(run.stderr).toContain(`record ${idOf(edit(lines)[line - 1]!)} `);
    }
  });

  it('passes a torn last line with a warning', async () => {
    const copy = tampered((l) => [...l, l[0]!.slice(0, 50)]);
    const file = path.join(copy, 'logs', path.basename(dayFile));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, -1));
    const run = await runCli(copy, 'log', 'verify');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: .* line 10: a torn last line/);
  });

  it('exports the calls its filter selects as JSONL and CSV', async () => {
    const jsonl = await runCli(home.home, 'log', 'export', '--tool', 'echo');
    expect(jsonl.code).toBe(0);
    const calls = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(calls.map((c) => [c.tool, c.status])).toEqual(Array(4).fill(['echo', 'ok']));
    expect(calls[0]!.arguments).toEqual({ message: '=hello 0, "you"' });
    const csv = await runCli(
      home.home,
      'log',
      'export',
      '--format',
      'csv',
      '--status',
      'denied',
      '--since',
      '1d',
    );
    const rows = csv.stdout.split('\r\n');
    expect(rows[0]!.startsWith('id,ts,grant,session,server,tool,')).toBe(true);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain(',ev,get-sum,ev__get-sum,deny,denied,');
    const echo = await runCli(home.home, 'log', 'export', '--format', 'csv', '--tool', 'ev__echo');
    expect(echo.stdout).toContain('"{""message"":""=hello 0, \\""you\\""""}"');
    const out = path.join(home.home, 'calls.csv');
    const toFile = await runCli(home.home, 'log', 'export', '--format', 'csv', '--out', out);
    expect(toFile.stderr).toBe(`exported 5 calls to ${out}\n`);
    expect(fs.readFileSync(out, 'utf8').split('\r\n')).toHaveLength(7);
    const api = await createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken }).exportCalls({
      format: 'csv',
      tool: 'get-sum',
    });
    expect(api).toMatchObject({ format: 'csv', calls: 1, truncated: false });
    expect(api.text.split('\r\n')[0]).toBe(rows[0]);
    const bad = await runCli(home.home, 'log', 'export', '--format', 'xml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--format: /);
  });
});
