// What each layer of an MCP Streamable HTTP front costs, without Gatehouse's policy, log or upstream: a child
// process answers `echo` itself behind a stack of layers, and the bench measures the same SDK client against each
// (p50 latency and the server's CPU per call from /proc). Then in-process micro-costs: zod parsing of a request
// and a result, and a call-log-like synchronous line write. Evidence for the next optimisation, not part of
// `npm run bench`. Usage: node bench/layers.mjs [--calls N]   (child mode: --serve VARIANT PORT)
import './quiet-warnings.mjs';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import express from 'express';
import { latency, percentile, roundOrder, turn } from './measure.mjs';
import { LOOPBACK, spawnTracked } from './procs.mjs';
import { startHttpPeer } from './targets.mjs';

const VARIANTS = {
  'raw node:http, JSON (hand-written MCP, floor)': { raw: true },
  'SDK transport, SSE (default)': {},
  'SDK transport, JSON response': { json: true },
  'SDK transport, SSE, body pre-parsed': { parsed: true },
  'express + host check + SDK, SSE (the first Gatehouse front)': { express: true },
  'express + host check + SDK, JSON, pre-parsed': { express: true, json: true, parsed: true },
};

const ECHO_TOOL = {
  name: 'echo',
  description: 'Echoes back the input',
  inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
};
const echoResult = (args) => ({ content: [{ type: 'text', text: `Echo: ${args?.message}` }] });

/** A hand-written MCP responder: initialize, notifications, tools/list and tools/call, answered as JSON. */
function rawHandler(req, res) {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    let result;
    if (msg.method === 'initialize') {
      result = {
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'raw', version: '1' },
      };
    } else if (msg.method === 'tools/list') result = { tools: [ECHO_TOOL] };
    else if (msg.method === 'tools/call') result = echoResult(msg.params.arguments);
    else result = {};
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'raw-session' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }));
  });
}

function sdkHandler(variant) {
  const sessions = new Map();
  const open = () => {
    const server = new Server({ name: 'layers', version: '1' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [ECHO_TOOL] }));
    server.setRequestHandler(CallToolRequestSchema, (request) => echoResult(request.params.arguments));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: Boolean(variant.json),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    void server.connect(transport);
    return transport;
  };
  const readJson = (req) =>
    new Promise((resolve, reject) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
      req.on('error', reject);
    });
  return async (req, res) => {
    const id = req.headers['mcp-session-id'];
    const transport = typeof id === 'string' ? sessions.get(id) : open();
    if (!transport) {
      res.writeHead(404).end();
      return;
    }
    if (variant.parsed && req.method === 'POST') await transport.handleRequest(req, res, await readJson(req));
    else await transport.handleRequest(req, res);
  };
}

function serve(name, port) {
  const variant = VARIANTS[name];
  let handler = variant.raw ? rawHandler : sdkHandler(variant);
  if (variant.express) {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use(hostHeaderValidation(['127.0.0.1', 'localhost', '[::1]']));
    app.use((req, _res, next) => next()); // Gatehouse's Origin check stands here
    const inner = handler;
    app.all('/mcp', (req, res) => {
      inner(req, res).catch(() => res.end());
    });
    handler = app;
  }
  http
    .createServer((req, res) => {
      const out = handler(req, res);
      if (out && typeof out.catch === 'function') out.catch(() => res.end());
    })
    .listen(port, LOOPBACK, () => process.stdout.write('ready\n'));
}

/** One variant as a child process, reached like the bench's HTTP peers (the same start, loopback check and wait). */
async function startVariant(name) {
  const target = await startHttpPeer(name, (port) =>
    spawnTracked(process.execPath, [fileURLToPath(import.meta.url), '--serve', name, String(port)], {
      detached: true,
    }),
  );
  return { ...target, latency: [], calls: 0, seconds: 0, cpuMs: 0 };
}

/** Interleaved rounds, like the main bench: every variant gets its share of the machine's noise. */
async function measureAll(names, calls, rounds = 4) {
  const live = [];
  const rows = {};
  try {
    for (const name of names) {
      try {
        live.push(await startVariant(name));
      } catch (err) {
        rows[name] = { error: err.message };
      }
    }
    for (const t of live) await latency(t, 300, []);
    const per = Math.max(50, Math.round(calls / rounds));
    for (let round = 0; round < rounds; round++) {
      for (const t of roundOrder(live, round)) {
        await turn(t, t, { latencyCalls: per, throughputCalls: per });
      }
    }
    for (const t of live) {
      const sorted = t.latency.sort((a, b) => a - b);
      rows[t.name] = {
        p50Us: Math.round(percentile(sorted, 50)),
        p90Us: Math.round(percentile(sorted, 90)),
        callsPerSecond: Math.round(t.calls / t.seconds),
        serverCpuUsPerCall: Math.round((t.cpuMs * 1000) / (sorted.length + t.calls)),
      };
    }
  } finally {
    await Promise.all(live.map((t) => t.stop()));
  }
  return rows;
}

/** µs per operation of `fn`, over about `ms` milliseconds after a warm-up. */
function micro(fn, ms = 300) {
  for (let i = 0; i < 2000; i++) fn(i);
  let n = 0;
  const started = process.hrtime.bigint();
  const limit = BigInt(ms * 1e6);
  while (process.hrtime.bigint() - started < limit && n < 10_000_000) {
    for (let j = 0; j < 100; j++) fn(n++);
  }
  return Math.round((Number(process.hrtime.bigint() - started) / 1000 / n) * 100) / 100;
}

function micros() {
  const request = {
    method: 'tools/call',
    params: { name: 'ev__echo', arguments: { message: 'm123' }, _meta: { progressToken: 7 } },
  };
  const result = { content: [{ type: 'text', text: 'Echo: m123' }] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-layers-'));
  const fd = fs.openSync(path.join(dir, 'log.jsonl'), 'a', 0o600);
  const record = {
    id: randomUUID(),
    ts: new Date().toISOString(),
    grant: 'bench',
    session: randomUUID(),
    server: 'ev',
    tool: 'echo',
    exposedName: 'ev__echo',
    arguments: { message: 'm123' },
    argsHash: `sha256:${'0'.repeat(64)}`,
    decision: 'allow',
    rule: 'servers.ev.tools.echo',
    reason: 'allowed by policy rule "echo"',
    policyVersion: 'sha256:0123456789abcdef',
    status: 'allowed',
    charges: [{ key: 'echo_rate', windowMs: 1000 }],
  };
  try {
    return {
      zodParseCallToolRequestUs: micro(() => CallToolRequestSchema.parse(request)),
      zodParseCallToolResultUs: micro(() => CallToolResultSchema.parse(result)),
      jsonStringifyRecordUs: micro(() => JSON.stringify(record)),
      logLineWriteSyncUs: micro((i) => fs.writeSync(fd, `${JSON.stringify({ ...record, n: i })}\n`)),
      logLineBytes: JSON.stringify(record).length + 1,
    };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--serve') {
  serve(args[1], Number(args[2]));
} else {
  const callsAt = args.indexOf('--calls');
  const calls = Math.min(20_000, Math.max(100, callsAt >= 0 ? Number(args[callsAt + 1]) : 2000));
  const deadline = setTimeout(() => {
    console.error('layers: still running after 300 s — giving up');
    process.exit(1);
  }, 300_000);
  deadline.unref();
  console.log(
    `layers: ${calls} sequential + ${calls} calls at 16 in flight per variant, in 4 interleaved rounds; load ${os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join('/')}`,
  );
  const rows = await measureAll(Object.keys(VARIANTS), calls);
  for (const [name, r] of Object.entries(rows)) {
    console.log(
      r.error
        ? `${name}: failed (${r.error})`
        : `${name.padEnd(50)} p50 ${String(r.p50Us).padStart(6)} µs  p90 ${String(r.p90Us).padStart(6)} µs  ` +
            `${String(r.callsPerSecond).padStart(6)} calls/s  server CPU ${String(r.serverCpuUsPerCall).padStart(5)} µs/call`,
    );
  }
  const m = micros();
  console.log(
    `in-process: zod parse of a tools/call request ${m.zodParseCallToolRequestUs} µs, of its result ` +
      `${m.zodParseCallToolResultUs} µs; JSON.stringify of a ${m.logLineBytes}-byte log record ${m.jsonStringifyRecordUs} µs; ` +
      `stringify + writeSync of that line ${m.logLineWriteSyncUs} µs`,
  );
  console.log(JSON.stringify({ layers: rows, micro: m, loadavg: os.loadavg() }));
  clearTimeout(deadline);
}
