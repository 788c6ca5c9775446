// Fuzzing the front door (issue 15): generated hostile requests to /mcp and /api of one real gateway with
// server-everything as its upstream. Properties: each request is answered or closed within a deadline, no 5xx
// without a JSON body, no 2xx without the right credential (the admin token for /api) or from a foreign Host/Origin,
// no answer showing the upstream's environment (a canary only get-env could return), the denied tools never reach
// the upstream (the call log), the policy, servers and grants files never change, and the gateway keeps serving.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Gateway } from '../../electron/gateway/app/gateway.js';
import { readAllRecords } from '../../electron/gateway/log/reader.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../helpers/gateway-fixture.js';
import { concrete, isMcpPath, recipe, type Concrete, type Target } from './hostile-requests.js';
import { deepText } from './mcp-bodies.js';
import { plain, send, type Outcome } from './raw-http.js';

/** Runs of the property (1 to 3 requests each); FUZZ_RUNS scales them, FUZZ_VERBOSE=1 prints every answer. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
/** Far above any answer of a healthy gateway on a busy machine; approvals time out after 1 s. */
const DEADLINE_MS = 10_000;
const CANARY = `fuzz-canary-${randomUUID()}`;
/** Tools the policy denies: no call of theirs may be forwarded. */
const DENIED = /^(get-env|gzip-.*|trigger-.*|simulate-.*|toggle-.*)$/;

const POLICY = {
  version: '1',
  default: 'allow',
  approvalTimeoutSeconds: 1,
  tools: {
    'get-env': { action: 'deny', reason: 'fuzz: get-env must never reach the upstream' },
    // Tools that reach the network, wait for a person or change the upstream's behaviour: out of the fuzz.
    'gzip-*': { action: 'deny' },
    'trigger-*': { action: 'deny' },
    'simulate-*': { action: 'deny' },
    'toggle-*': { action: 'deny' },
  },
};

let home: TestHome;
let gateway: Gateway;
let diagnostics: string[];
let target: Target;
let client: Client;
const files: Record<string, string> = {};
const tally = {
  requests: 0,
  runs: 0,
  statuses: {} as Record<string, number>,
  closed: 0,
  slowest: { ms: 0, request: '' },
  fiveHundreds: [] as string[],
};

const mcpHeaders = (token: string, session?: string, scope?: string): Record<string, string> => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${token}`,
  ...(session === undefined ? {} : { 'mcp-session-id': session }),
  ...(scope === undefined ? {} : { 'x-gatehouse-server': scope }),
});

async function openSession(token: string, scope?: string): Promise<string> {
  const init = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
  });
  const answer = await send(
    target.port,
    plain(target.port, 'POST', '/mcp', mcpHeaders(token, undefined, scope), init),
    DEADLINE_MS,
  );
  const id = answer.kind === 'answered' ? answer.headers['mcp-session-id'] : undefined;
  if (typeof id !== 'string') throw new Error(`initialize failed: ${JSON.stringify(answer)}`);
  const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await send(
    target.port,
    plain(target.port, 'POST', '/mcp', mcpHeaders(token, id, scope), initialized),
    DEADLINE_MS,
  );
  return id;
}

async function admin(method: string, route: string): Promise<Outcome> {
  const headers = { authorization: `Bearer ${target.adminToken}` };
  return send(target.port, plain(target.port, method, route, headers), DEADLINE_MS);
}

function describeRequest(c: Concrete): string {
  const body = c.body === undefined ? '(none)' : JSON.stringify(c.body.subarray(0, 400).toString('utf8'));
  return `${c.method} ${c.path} headers=${JSON.stringify(c.headers)} body(${c.body?.length ?? 0} bytes)=${body}`;
}

/** The properties every single answer must hold. */
function checkAnswer(c: Concrete, outcome: Outcome): void {
  const request = describeRequest(c);
  if (outcome.kind === 'hung') throw new Error(`no answer within ${DEADLINE_MS} ms: ${request}`);
  if (outcome.kind === 'closed') {
    tally.closed++;
    if (process.env.FUZZ_VERBOSE) console.log('closed', outcome.error, '<-', request.slice(0, 300));
    return;
  }
  const { status, body } = outcome;
  tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  if (process.env.FUZZ_VERBOSE)
    console.log('answer', status, body.slice(0, 160), '<-', describeRequest(c).slice(0, 300));
  if (status >= 500) {
    tally.fiveHundreds.push(`${status} ${body.slice(0, 200)} ← ${request.slice(0, 600)}`);
    if (c.method !== 'HEAD') {
      expect(
        () => JSON.parse(body) as unknown,
        `${status} without a JSON body: ${body.slice(0, 200)} ← ${request}`,
      ).not.toThrow();
    }
  }
  if (status >= 200 && status < 300) {
    const allowed =
      c.ownOrigin && !c.foreignSession && (isMcpPath(c.path) ? c.mcpCredential : c.carries === 'admin');
    expect(allowed, `${status} without the right credential or from a foreign origin: ${request}`).toBe(true);
  }
  expect(body.includes(CANARY), `the upstream's environment in an answer: ${request}`).toBe(false);
  // A JSON-RPC internal error is the gateway failing on its own (the 5xx of a 200 answer).
  expect(/"code":\s*-32603/.test(body), `an internal error: ${body.slice(0, 300)} ← ${request}`).toBe(false);
}

/** A DELETE may end one of the fuzz's own sessions: open it again so later requests still reach a live one. */
async function reviveSessions(c: Concrete, outcome: Outcome): Promise<void> {
  if (c.method !== 'DELETE' || outcome.kind !== 'answered' || outcome.status !== 200) return;
  const { sessions, tokens } = target;
  if (c.session === sessions.live) sessions.live = await openSession(tokens.fuzz);
  if (c.session === sessions.scoped) sessions.scoped = await openSession(tokens.fuzz, 'ev');
  if (c.session === sessions.foreign) sessions.foreign = await openSession(tokens.other);
}

async function expectServing(): Promise<void> {
  const health = await admin('GET', '/api/servers');
  expect(health.kind === 'answered' && health.status).toBe(200);
  const echo = await client.callTool({ name: 'ev__echo', arguments: { message: 'still here' } });
  expect(echo.isError ?? false).toBe(false);
  expect(JSON.stringify(echo.content)).toContain('Echo: still here');
}

describe('the front door under generated hostile requests', () => {
  beforeAll(async () => {
    home = makeHome({
      grants: ['fuzz', 'other'],
      servers: { ev: everythingStdio({ env: { FUZZ_CANARY: CANARY } }) },
      policy: POLICY,
    });
    const started = await startGateway(home, ['ev']);
    gateway = started.gateway;
    diagnostics = started.diagnostics;
    const tokens = { fuzz: home.tokens.fuzz as string, other: home.tokens.other as string };
    target = {
      port: started.runtime.port,
      adminToken: started.runtime.adminToken,
      tokens,
      sessions: { live: '', scoped: '', foreign: '' },
    };
    target.sessions.live = await openSession(tokens.fuzz);
    target.sessions.scoped = await openSession(tokens.fuzz, 'ev');
    target.sessions.foreign = await openSession(tokens.other);
    client = await connectClient(started.runtime.mcpUrl, tokens.fuzz);
    for (const name of ['policy.json', 'servers.json', 'grants.json'])
      files[name] = fs.readFileSync(path.join(home.home, name), 'utf8');
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await gateway?.stop();
    home?.cleanup();
    const failures =
      diagnostics?.filter((l) => /request failed|control API:|uncaught|unhandled/i.test(l)) ?? [];
    console.log(
      `front-door fuzz: ${tally.requests} requests in ${tally.runs} runs; statuses ${JSON.stringify(tally.statuses)}; ` +
        `${tally.closed} closed without an answer; ${tally.fiveHundreds.length} 5xx; ` +
        `${failures.length} failure lines in the diagnostics`,
    );
    console.log(`  the slowest answer: ${Math.round(tally.slowest.ms)} ms ← ${tally.slowest.request}`);
    for (const line of [...tally.fiveHundreds, ...failures].slice(0, 10))
      console.log(`  ${line.slice(0, 1200)}`);
  });

  it('answers every request in time, never 5xx without JSON, never 2xx without the right credential', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recipe, { minLength: 1, maxLength: 3 }), async (recipes) => {
        tally.runs++;
        // Sent together: some share a session, a request id or a connection's worth of timing.
        const requests = recipes.map((r) => concrete(r, target));
        const outcomes = await Promise.all(
          requests.map(async (c) => {
            const started = performance.now();
            const outcome = await send(target.port, c, DEADLINE_MS);
            const ms = performance.now() - started;
            if (ms > tally.slowest.ms) tally.slowest = { ms, request: describeRequest(c).slice(0, 400) };
            return outcome;
          }),
        );
        tally.requests += requests.length;
        requests.forEach((c, i) => checkAnswer(c, outcomes[i] as Outcome));
        for (const [i, c] of requests.entries()) await reviveSessions(c, outcomes[i] as Outcome);
        if (tally.runs % 50 === 0) await expectServing();
      }),
      // The first failing input is reported as it is: shrinking would send each candidate again, and a hang costs
      // the whole deadline per try.
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 180_000);

  /* Bugs the fuzzing found (issue 15), fixed: kept as tests so they stay fixed; the generators make such inputs too. */
  it('bug 3: arguments nested 10,000 deep are refused and recorded, never a -32603', async () => {
    const logs = path.join(home.home, 'logs');
    const before = readAllRecords(logs).records.length;
    const headers = mcpHeaders(target.tokens.fuzz, target.sessions.live);
    const body = deepText(10_000, 'arguments', 'ev__get-env');
    const answer = await send(target.port, plain(target.port, 'POST', '/mcp', headers, body), DEADLINE_MS);
    expect(answer.kind === 'answered' ? answer.body : '').not.toContain('-32603');
    expect(readAllRecords(logs).records.length).toBe(before + 1);
  });

  it('params nested 1,000 to 100,000 deep in any other request are invalid params (-32602), never an internal error', async () => {
    const headers = mcpHeaders(target.tokens.fuzz, target.sessions.live);
    for (const depth of [1000, 10_000, 100_000]) {
      const nest = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      for (const [method, params] of [
        ['resources/read', `{"uri":${nest}}`],
        ['prompts/get', `{"name":"ev__simple-prompt","arguments":${nest}}`],
        ['tools/list', `{"cursor":${nest}}`],
        ['completion/complete', `{"ref":${nest},"argument":{"name":"a","value":"b"}}`],
      ]) {
        const body = `{"jsonrpc":"2.0","id":9,"method":"${method}","params":${params}}`;
        const answer = await send(
          target.port,
          plain(target.port, 'POST', '/mcp', headers, body),
          DEADLINE_MS,
        );
        const text = answer.kind === 'answered' ? answer.body : '';
        expect(text, `${method} at ${depth}`).toContain('-32602');
      }
    }
  });

  it('bug 4: OPTIONS on a control route answers 401 without the admin token', async () => {
    const answer = await send(target.port, plain(target.port, 'OPTIONS', '/api/servers'), DEADLINE_MS);
    expect(answer.kind === 'answered' && answer.status).toBe(401);
  });

  it('bug 5: GET /api/servers/constructor answers 404 for a server that does not exist', async () => {
    const answer = await admin('GET', '/api/servers/constructor');
    expect(answer.kind === 'answered' && answer.status).toBe(404);
  });

  it('bug 6: HEAD /api/events with the admin token is answered', async () => {
    const headers = { authorization: `Bearer ${target.adminToken}` };
    const answer = await send(target.port, plain(target.port, 'HEAD', '/api/events', headers), 2000);
    expect(answer.kind).toBe('answered');
  });

  it('still serves afterwards, forwarded no denied call, and changed none of its files', async () => {
    await expectServing();
    const denied = await client.callTool({ name: 'ev__get-env', arguments: {} });
    expect(denied.isError).toBe(true);
    expect(JSON.stringify(denied.content)).toContain('Gatehouse denied ev__get-env');

    const { records } = readAllRecords(path.join(home.home, 'logs'));
    const deniedRecords = records.filter((r) => DENIED.test(r.tool));
    expect(deniedRecords.length).toBeGreaterThan(0);
    for (const record of deniedRecords) {
      expect(record.decision, JSON.stringify(record)).toBe('deny');
      expect(record.status, JSON.stringify(record)).toBe('denied');
    }
    console.log(
      `front-door fuzz: ${records.length} call records, ${deniedRecords.length} of denied tools (all denied)`,
    );
    for (const [name, text] of Object.entries(files))
      expect(fs.readFileSync(path.join(home.home, name), 'utf8'), name).toBe(text);
  });
});
