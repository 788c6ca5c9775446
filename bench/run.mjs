// `npm run bench`: direct stdio vs Gatehouse over Streamable HTTP on server-everything's `echo`, interleaved in rounds.
// `--quick` is CI's smoke run: few calls, no goals checked (the machine is shared and noisy).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const CALLS_PER_ROUND = quick ? 100 : 1000;
const INFLIGHT = 16;
const THROUGHPUT_CALLS = quick ? 200 : 2000;
const everything = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const cli = path.join(root, 'bin/gatehouse.js');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function echo(client, i) {
  const r = await client.request(
    { method: 'tools/call', params: { name: client.echoName, arguments: { message: `m${i}` } } },
    CallToolResultSchema,
  );
  if (r.isError) throw new Error(`echo failed: ${JSON.stringify(r.content)}`);
}

async function latency(client, n, into) {
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await echo(client, i);
    into.push(Number(process.hrtime.bigint() - t) / 1000);
  }
}

async function throughput(client, total) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: INFLIGHT }, async () => {
      while (next < total) await echo(client, next++);
    }),
  );
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function startGatehouse() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  const tools = { echo: { action: 'allow', args: { message: { pattern: '[a-z0-9]+', maxLength: 100 } } } };
  for (let i = 0; i < 98; i++) tools[`tool_${i}_*`] = { action: i % 3 === 0 ? 'deny' : 'allow' };
  tools['get-sum'] = { limits: [{ counter: 'sums', window: 'minute', max: 1000, scope: 'grant' }] };
  tools.echo.limits = [{ counter: 'echo_rate', window: 'second', max: 1_000_000, scope: 'global' }];
  fs.writeFileSync(path.join(home, 'policy.json'), JSON.stringify({ version: '1', default: 'deny', tools }));
  fs.writeFileSync(
    path.join(home, 'servers.json'),
    JSON.stringify({ mcpServers: { ev: { command: process.execPath, args: [everything, 'stdio'] } } }),
  );
  const token = execFileSync(process.execPath, [cli, 'grant', 'add', 'bench', '--home', home], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [cli, 'serve', '--home', home, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const readyLine = await new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`gatehouse serve exited with ${code}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('gatehouse ready'));
      if (line) resolve(line);
    });
  });
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  const mcpUrl = /mcp=(\S+)/.exec(readyLine)[1];
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  for (let i = 0; ; i++) {
    const { tools: listed } = await client.listTools();
    if (listed.some((t) => t.name === 'ev__echo')) break;
    if (i > 400) throw new Error('gatehouse never listed ev__echo');
    await new Promise((r) => setTimeout(r, 50));
  }
  client.echoName = 'ev__echo';
  return {
    client,
    readyMs,
    pid: child.pid,
    stop: async () => {
      await client.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

async function startDirect() {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [everything, 'stdio'], stderr: 'ignore' }),
  );
  client.echoName = 'echo';
  return { client, stop: () => client.close() };
}

const targets = { direct: await startDirect(), gatehouse: await startGatehouse() };
const samples = { direct: [], gatehouse: [] };
for (const t of Object.values(targets)) await latency(t.client, 50, []); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, t] of Object.entries(targets)) await latency(t.client, CALLS_PER_ROUND, samples[name]);
}
const results = {};
for (const [name, t] of Object.entries(targets)) {
  const sorted = samples[name].sort((a, b) => a - b);
  results[name] = {
    p50Us: Math.round(percentile(sorted, 50)),
    p90Us: Math.round(percentile(sorted, 90)),
    p99Us: Math.round(percentile(sorted, 99)),
    callsPerSecond: Math.round(await throughput(t.client, THROUGHPUT_CALLS)),
  };
}
results.gatehouse.rssMb = Math.round(rssMb(targets.gatehouse.pid));
results.gatehouse.readyMs = Math.round(targets.gatehouse.readyMs);
for (const t of Object.values(targets)) await t.stop();

const machine = `${os.cpus().length} cores ${os.cpus()[0]?.model ?? ''}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(
  `\nGatehouse benchmark (${quick ? 'quick' : 'full'}): server-everything echo, ${ROUNDS} rounds × ${CALLS_PER_ROUND} calls; ${machine}`,
);
console.log('target      p50 µs   p90 µs   p99 µs   calls/s (16 in flight)');
for (const [name, r] of Object.entries(results)) {
  console.log(
    `${name.padEnd(10)} ${String(r.p50Us).padStart(7)} ${String(r.p90Us).padStart(8)} ${String(r.p99Us).padStart(8)}   ${r.callsPerSecond}`,
  );
}
console.log(
  `gatehouse RSS after the run: ${results.gatehouse.rssMb} MB; serve ready in ${results.gatehouse.readyMs} ms (upstreams not counted)`,
);
const line = { bench: 'gatehouse', quick, machine, date: new Date().toISOString(), results };
console.log(JSON.stringify(line));
if (!quick) {
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results/latest.json'), `${JSON.stringify(line, null, 2)}\n`);
}
