// Bounded under abuse: a client holding a valid grant (or an upstream) cannot make the gateway grow without bound,
// lose or tear a record, or have a call forwarded unlogged. Sessions per grant are capped and idle ones expire;
// per-session upstream instances are capped; the log keeps a bounded record of huge arguments; the event replay
// buffer keeps summaries; a call log that cannot be written refuses every call.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { argsHash } from '../../../electron/gateway/log/canonical.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { makeHome, openedGateways, type HomeSpec } from '../../helpers/gateway-fixture.js';

const opened = openedGateways();
afterEach(() => opened.closeAll());

const MARKER = 'gatehouse-bounds-tiny';
// A tiny stdio MCP server (one small process, quick to start): `echo` says how much it got, `calls` how many echo
// calls reached it. Its marker in the command line lets the test count its processes.
const TINY = `// ${MARKER}
let calls = 0;
const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (m.id === undefined || !m.method) return;
  const reply = (result) => send({ jsonrpc: '2.0', id: m.id, result });
  if (m.method === 'initialize')
    return reply({ protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'tiny', version: '1' } });
  if (m.method === 'ping') return reply({});
  if (m.method === 'tools/list')
    return reply({ tools: [
      { name: 'echo', inputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } },
      { name: 'calls', inputSchema: { type: 'object' } },
    ] });
  if (m.method === 'tools/call') {
    if (m.params.name === 'calls') return reply({ content: [{ type: 'text', text: String(calls) }] });
    calls++;
    return reply({ content: [{ type: 'text', text: 'got ' + JSON.stringify(m.params.arguments).length + ' characters' }] });
  }
  send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
});`;

const tiny = (extra: Record<string, unknown> = {}) => ({
  command: process.execPath,
  args: ['-e', TINY],
  ...extra,
});

/** The tiny servers this test process's gateway runs (its direct children). */
function tinyProcesses(): number {
  let n = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (cmd.includes(MARKER) && state !== 'Z' && Number(ppid) === process.pid) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(25);
  }
}

async function start(spec: HomeSpec, options: { clock?: () => number; wait?: string[] } = {}) {
  const home = makeHome(spec);
  const diagnostics: string[] = [];
  const gateway = new Gateway({
    home: home.home,
    port: 0,
    diagnostics: (l) => diagnostics.push(l),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  opened.track(home, gateway);
  const runtime = await gateway.start();
  for (const server of options.wait ?? []) {
    await until(`${server} ready`, () =>
      gateway.upstreamStatus().some((s) => s.name === server && s.state === 'ready'),
    );
  }
  const api = (route: string, init: RequestInit = {}) =>
    fetch(`${runtime.controlUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${runtime.adminToken}`, 'content-type': 'application/json' },
    });
  return { home, gateway, runtime, diagnostics, api };
}

interface RpcAnswer {
  result?: { content?: { text?: string }[]; isError?: boolean; task?: { taskId: string } };
  error?: { code: number; message: string };
}

/** An MCP session spoken by hand: initialize, then tools/call and DELETE with its id. */
async function openSession(runtime: RuntimeInfo, token: string) {
  const base = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  const init = await fetch(runtime.mcpUrl, {
    method: 'POST',
    headers: base,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'bounds', version: '1' },
      },
    }),
  });
  const text = await init.text();
  const id = init.headers.get('mcp-session-id') ?? '';
  const headers = { ...base, 'mcp-session-id': id, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };
  let next = 1;
  return {
    id,
    status: init.status,
    text,
    async request(method: string, params: unknown): Promise<{ status: number; body: RpcAnswer }> {
      const res = await fetch(runtime.mcpUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: next++, method, params }),
      });
      const raw = await res.text();
      return { status: res.status, body: (raw ? JSON.parse(raw) : {}) as RpcAnswer };
    },
    call(name: string, args: unknown = {}, extra: Record<string, unknown> = {}) {
      return this.request('tools/call', { name, arguments: args, ...extra });
    },
    async close(): Promise<number> {
      return (await fetch(runtime.mcpUrl, { method: 'DELETE', headers })).status;
    },
  };
}

const textOf = (answer: { body: RpcAnswer }) => answer.body.result?.content?.[0]?.text ?? '';

describe('MCP sessions per grant', () => {
  it('the 65th session of a grant is refused with 429 naming the cap and what to do; the 64 keep working', async () => {
    const { runtime, home } = await start({ grants: ['a', 'b'] });
    const sessions = await Promise.all(
      Array.from({ length: 64 }, () => openSession(runtime, home.tokens.a!)),
    );
    expect(sessions.map((s) => s.status)).toEqual(Array(64).fill(200));
    const refused = await openSession(runtime, home.tokens.a!);
    expect(refused.status).toBe(429);
    expect(refused.id).toBe('');
    const body = JSON.parse(refused.text) as { jsonrpc: string; error: { message: string } };
    expect(body.jsonrpc).toBe('2.0');
    expect(body.error.message).toContain('grant "a" already holds 64 MCP sessions');
    expect(body.error.message).toContain('close the sessions you no longer use');
    // The 64 still answer; another grant is not affected; closing one makes room.
    expect((await sessions[0]!.request('ping', {})).status).toBe(200);
    expect((await sessions[63]!.request('tools/list', {})).status).toBe(200);
    expect((await openSession(runtime, home.tokens.b!)).status).toBe(200);
    expect(await sessions[0]!.close()).toBe(200);
    expect((await openSession(runtime, home.tokens.a!)).status).toBe(200);
  });

  it('a session idle for 30 minutes ends: its id is not found, its own upstream instance stops', async () => {
    let now = Date.now();
    const { runtime, home } = await start(
      { servers: { tiny: tiny({ sessionUpstreams: true }) } },
      { clock: () => now, wait: ['tiny'] },
    );
    const idle = await openSession(runtime, home.tokens.test!);
    await until('its own instance', () => tinyProcesses() === 2);
    expect(textOf(await idle.call('tiny__echo', { m: 1 }))).toBe('got 7 characters');
    now += 29 * 60_000;
    const active = await openSession(runtime, home.tokens.test!);
    await until('the second session’s instance', () => tinyProcesses() === 3);
    expect((await idle.request('ping', {})).status).toBe(200);
    now += 30 * 60_000;
    expect((await active.request('ping', {})).status).toBe(200);
    now += 1000;
    // The next initialize (as the sweep every minute would) finds the idle session: it ends.
    const third = await openSession(runtime, home.tokens.test!);
    expect(third.status).toBe(200);
    const gone = await idle.request('ping', {});
    expect(gone.status).toBe(404);
    expect(gone.body.error?.message).toMatch(/^Session not found/);
    // The shared instance, the active session's and the new one's: the idle session's own instance stopped.
    await until('the idle session’s instance stopped', () => tinyProcesses() === 3);
    expect((await active.call('tiny__echo', { m: 2 })).body.result?.isError).toBeFalsy();
  });
});

describe('sessionUpstreams instances', () => {
  it('at most 32 of one server at once: the 33rd session’s call gets an error naming the cap, nothing spawned', async () => {
    const { runtime, home } = await start(
      { servers: { tiny: tiny({ sessionUpstreams: true }) } },
      { wait: ['tiny'] },
    );
    const sessions = [];
    for (let i = 0; i < 32; i++) sessions.push(await openSession(runtime, home.tokens.test!));
    await until('32 instances and the shared one', () => tinyProcesses() === 33, 30_000);
    const extra = await openSession(runtime, home.tokens.test!);
    expect(extra.status).toBe(200);
    const refused = await extra.call('tiny__echo', { m: 1 });
    expect(refused.body.result?.isError).toBe(true);
    expect(textOf(refused)).toContain('"tiny" already runs 32 instances');
    expect(textOf(refused)).toContain('close client sessions you no longer use');
    await sleep(300);
    expect(tinyProcesses()).toBe(33);
    // The others work; when one session ends, the waiting one gets its instance.
    expect(textOf(await sessions[5]!.call('tiny__echo', { m: 1 }))).toBe('got 7 characters');
    expect(await sessions[0]!.close()).toBe(200);
    await until(
      'a place freed',
      async () => !(await extra.call('tiny__echo', { m: 1 })).body.result?.isError,
    );
    expect(tinyProcesses()).toBe(33);
  }, 60_000);

  it('a call run as a task and approved after its session ended starts no instance for that session', async () => {
    const { runtime, home, api } = await start(
      {
        servers: { tiny: tiny({ sessionUpstreams: true }) },
        policy: { version: '1', default: 'allow', tools: { echo: { action: 'approve' } } },
      },
      { wait: ['tiny'] },
    );
    const session = await openSession(runtime, home.tokens.test!);
    await until('its own instance', () => tinyProcesses() === 2);
    const created = await session.call('tiny__echo', { m: 1 }, { task: { ttl: 60_000 } });
    expect(created.body.result?.task?.taskId).toBeDefined();
    let approvals: { id: string }[] = [];
    await until('the approval', async () => {
      approvals = ((await (await api('/approvals')).json()) as { approvals: { id: string }[] }).approvals;
      return approvals.length === 1;
    });
    expect(await session.close()).toBe(200);
    await until('its instance stopped', () => tinyProcesses() === 1);
    const answered = await api(`/approvals/${approvals[0]!.id}`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(answered.status).toBe(200);
    await sleep(1500);
    expect(tinyProcesses()).toBe(1);
  }, 30_000);
});

describe('the call log keeps a bounded record of huge arguments', () => {
  it('a 1 MiB argument: forwarded whole, logged as prefix, length and hash; argsHash over the whole', async () => {
    const { runtime, home } = await start({ servers: { tiny: tiny() } }, { wait: ['tiny'] });
    const session = await openSession(runtime, home.tokens.test!);
    const big = 'B'.repeat(1024 * 1024);
    const answer = await session.call('tiny__echo', { content: big });
    expect(textOf(answer)).toBe(`got ${JSON.stringify({ content: big }).length} characters`);
    const records = readAllRecords(path.join(home.home, 'logs')).records;
    expect(records).toHaveLength(1);
    const hash = crypto.createHash('sha256').update(big).digest('hex');
    expect(records[0]!.arguments).toEqual({
      content: `${'B'.repeat(4096)}… [truncated: 1048576 characters, sha256 ${hash}]`,
    });
    expect(records[0]!.argsHash).toBe(argsHash({ content: big }));
    const logs = path.join(home.home, 'logs');
    const size = fs.readdirSync(logs).reduce((n, f) => n + fs.statSync(path.join(logs, f)).size, 0);
    expect(size).toBeLessThan(16 * 1024);
  });

  it('arguments nested a hundred thousand levels deep are answered, logged bounded or refused, never forwarded unlogged', async () => {
    const { runtime, home } = await start({ servers: { tiny: tiny() } }, { wait: ['tiny'] });
    const session = await openSession(runtime, home.tokens.test!);
    const deep = `${'{"d":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const res = await fetch(runtime.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${home.tokens.test!}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': session.id,
      },
      body: `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"tiny__echo","arguments":{"x":${deep}}}}`,
    });
    expect(res.status).toBeLessThan(500);
    await res.text();
    const forwarded = Number(textOf(await session.call('tiny__calls')));
    const logged = readAllRecords(path.join(home.home, 'logs')).records.filter(
      (r) => r.tool === 'echo' && r.status !== 'denied' && r.status !== 'invalid_args',
    );
    expect(forwarded).toBeLessThanOrEqual(logged.length);
    expect(fs.statSync(path.join(home.home, 'logs')).isDirectory()).toBe(true);
    expect((await session.request('ping', {})).status).toBe(200);
  });
});

describe('a call log that cannot be written refuses every call', () => {
  const today = () => new Date().toISOString().slice(0, 10);
  const REFUSED =
    'Gatehouse denied tiny__echo: the call log cannot be written, so Gatehouse refuses every call until it can';
  const breakages: [string, (file: string) => void, (file: string) => void][] = [
    ['a folder stands where the day file goes', (file) => fs.mkdirSync(file), (file) => fs.rmdirSync(file)],
    [
      'the disk is full (the day file is /dev/full)',
      (file) => fs.symlinkSync('/dev/full', file),
      (file) => fs.unlinkSync(file),
    ],
  ];

  async function refusesUntilFixed(
    home: ReturnType<typeof makeHome>,
    runtime: RuntimeInfo,
    diagnostics: string[],
    fix: () => void,
  ) {
    const session = await openSession(runtime, home.tokens.test!);
    for (let i = 0; i < 3; i++) {
      const refused = await session.call('tiny__echo', { m: i });
      expect(refused.body.result?.isError).toBe(true);
      expect(textOf(refused)).toBe(REFUSED);
    }
    expect(diagnostics.join('\n')).toContain('call log write failed, refusing tiny__echo');
    fix();
    expect(textOf(await session.call('tiny__calls'))).toBe('0');
    expect(textOf(await session.call('tiny__echo', { m: 'now' }))).toBe('got 11 characters');
    const logs = path.join(home.home, 'logs');
    expect(readAllRecords(logs).records.map((r) => r.tool)).toEqual(['echo', 'calls']);
  }

  it.each(breakages)(
    '%s while the gateway runs: refused with why, nothing forwarded; calls pass again once it can be written',
    async (_, breakIt, fix) => {
      const { home, runtime, diagnostics } = await start({ servers: { tiny: tiny() } }, { wait: ['tiny'] });
      const file = path.join(home.home, 'logs', `${today()}.jsonl`);
      breakIt(file);
      await refusesUntilFixed(home, runtime, diagnostics, () => fix(file));
    },
  );

  it.each(breakages)(
    '%s at start: the gateway starts all the same, and refuses calls',
    async (_, breakIt, fix) => {
      const spec = { servers: { tiny: tiny() } };
      const home = makeHome(spec);
      const logs = path.join(home.home, 'logs');
      fs.mkdirSync(logs, { mode: 0o700 });
      const file = path.join(logs, `${today()}.jsonl`);
      breakIt(file);
      const diagnostics: string[] = [];
      const gateway = new Gateway({ home: home.home, port: 0, diagnostics: (l) => diagnostics.push(l) });
      opened.track(home, gateway);
      const runtime = await gateway.start();
      await until('tiny ready', () => gateway.upstreamStatus().some((s) => s.state === 'ready'));
      await refusesUntilFixed(home, runtime, diagnostics, () => fix(file));
    },
  );
});

describe('the event replay buffer', () => {
  /** Reads SSE events from /api/events until `done` says so. */
  async function readEvents(
    runtime: RuntimeInfo,
    lastEventId: number | undefined,
    done: (events: { seq: number; type: string; data: Record<string, unknown>; size: number }[]) => boolean,
  ) {
    const controller = new AbortController();
    const res = await fetch(`${runtime.controlUrl}/events`, {
      headers: {
        authorization: `Bearer ${runtime.adminToken}`,
        ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}),
      },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const events: { seq: number; type: string; data: Record<string, unknown>; size: number }[] = [];
    let text = '';
    const deadline = Date.now() + 20_000;
    while (!done(events) && Date.now() < deadline) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = text.indexOf('\n\n')) !== -1) {
        const message = text.slice(0, cut);
        text = text.slice(cut + 2);
        const data = message.split('\n').find((l) => l.startsWith('data: '));
        if (data) {
          const event = JSON.parse(data.slice(6)) as {
            seq: number;
            type: string;
            data: Record<string, unknown>;
          };
          events.push({ ...event, size: data.length });
        }
      }
    }
    controller.abort();
    return events;
  }

  it('live subscribers get each call as logged; a replay gets a bounded summary, and the buffer is bounded', async () => {
    const { runtime, home, gateway } = await start({ servers: { tiny: tiny() } }, { wait: ['tiny'] });
    const session = await openSession(runtime, home.tokens.test!);
    const live = readEvents(
      runtime,
      undefined,
      (events) => events.filter((e) => e.type === 'call').length >= 2,
    );
    await sleep(200);
    const big = 'C'.repeat(1024 * 1024);
    await session.call('tiny__echo', { content: big, list: Array.from({ length: 5000 }, (_, i) => i) });
    const liveCalls = (await live).filter((e) => e.type === 'call');
    const logged = liveCalls[0]!.data.arguments as { content: string; list: unknown[] };
    expect(logged.content).toContain('[truncated: 1048576 characters, sha256 ');
    expect(logged.content.length).toBeGreaterThan(4096);
    expect(logged.list).toHaveLength(1001);

    const replayed = await readEvents(runtime, 0, (events) => events.at(-1)?.seq === gateway.events.lastSeq);
    const replayedCalls = replayed.filter((e) => e.type === 'call');
    expect(replayedCalls).toHaveLength(2);
    const summary = replayedCalls[0]!.data.arguments as { content: string; list: unknown[] };
    expect(summary.content.length).toBeLessThan(400);
    expect(summary.content).toContain('[truncated: ');
    expect(summary.list.length).toBeLessThanOrEqual(33);
    for (const e of replayedCalls) expect(e.size).toBeLessThan(8 * 1024);

    // Many more calls than the buffer keeps: a replay from the start gets at most its count and bytes.
    const args = { content: 'D'.repeat(64 * 1024) };
    for (let i = 0; i < 600; i++) await session.call('tiny__echo', args);
    const all = await readEvents(runtime, 0, (events) => events.at(-1)?.seq === gateway.events.lastSeq);
    expect(all.length).toBeLessThanOrEqual(1000);
    expect(all.length).toBeGreaterThan(500);
    expect(all.reduce((n, e) => n + e.size, 0)).toBeLessThan(4 * 1024 * 1024);
    expect(all.at(-1)!.seq).toBe(gateway.events.lastSeq);
  }, 60_000);
});
