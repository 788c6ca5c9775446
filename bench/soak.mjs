// The soak (issue 15): `gatehouse serve` (the built CLI) with two upstreams and a policy of allowed, denied and
// rate-limited tools takes 1,000 MCP sessions and 100,000 calls, 32 sessions at a time, while upstream processes are
// killed (SIGKILL; the gateway restarts them) and the policy is rewritten every few seconds. Every 5 s it prints the
// gateway's RSS and heap, the calls and what they ended as; at the end: leaked processes, lost call records, sessions
// left open, memory over time. Exit 1 when a process leaked, a record was lost, a denied tool was forwarded or a rate
// limit let more through than its max. Usage: node bench/soak.mjs [--quick] [--sessions N] [--calls N]
// [--concurrency N] [--time-limit S]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import './quiet-warnings.mjs';
import { assertLoopbackOnly } from './loopback.mjs';
import { rssMb, spawnTracked, trackDir, untrackDir } from './procs.mjs';
import { liveDescendants, stillRunning } from './soak/children.mjs';
import { heapProbeImport } from './soak/heap-probe.mjs';
import { SOAK_GRANT, UPSTREAMS, writeHome, writePolicy } from './soak/home.mjs';
import { readLog, reconcile } from './soak/log-check.mjs';
import { newTally, runSessions } from './soak/sessions.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const SESSIONS = option('--sessions', quick ? 50 : 1000);
const CALLS = option('--calls', quick ? 2000 : 100_000);
const CONCURRENCY = option('--concurrency', quick ? 8 : 32);
const TIME_LIMIT_MS = option('--time-limit', quick ? 180 : 1800) * 1000;
/** Each upstream is killed every second interval: more than 30 s apart, so its restart backoff starts over each time. */
const KILL_EVERY_MS = quick ? 2000 : 20_000;
const RELOAD_EVERY_MS = quick ? 1500 : 3000;
const REPORT_EVERY_MS = 5000;
const START_TIMEOUT_MS = 30_000;

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'gatehouse.js');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => bytes / 2 ** 20;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const home = trackDir(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-soak-')));
writeHome(home);
const token = execFileSync(process.execPath, [cli, 'grant', 'add', SOAK_GRANT, '--home', home], {
  encoding: 'utf8',
  timeout: 20_000,
  stdio: ['ignore', 'pipe', 'pipe'],
})
  .trim()
  .split('\n')
  .pop();
const heapFile = path.join(home, 'heap.json');
const gateway = spawnTracked(
  process.execPath,
  ['--import', heapProbeImport(heapFile), cli, 'serve', '--home', home, '--port', '0'],
  { detached: true },
);
await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(
    () => reject(new Error('gatehouse serve printed no ready line')),
    START_TIMEOUT_MS,
  );
  gateway.once('exit', (code) => reject(new Error(`gatehouse serve exited with ${code}: ${gateway.tail()}`)));
  gateway.stdout.on('data', (d) => {
    out += d;
    if (out.includes('gatehouse ready')) {
      clearTimeout(timer);
      resolve();
    }
  });
});
const runtime = JSON.parse(fs.readFileSync(path.join(home, 'runtime.json'), 'utf8'));
assertLoopbackOnly(runtime.port, 'gatehouse serve');

async function api(method, route) {
  const res = await fetch(`${runtime.controlUrl}${route}`, {
    method,
    headers: { Authorization: `Bearer ${runtime.adminToken}` },
  });
  if (!res.ok) throw new Error(`${method} /api${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

const statuses = async () => (await api('GET', '/servers')).servers.map((s) => s.status ?? { name: s.name });

async function upstreamsReady(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = (await statuses()).filter((s) => s.state === 'ready').length;
    if (ready === UPSTREAMS.length) return true;
    await sleep(200);
  }
  return false;
}

let lastHeap;
/** The gateway's latest heap figures (the last whole ones when the probe is writing its file right now). */
function heap() {
  try {
    lastHeap = JSON.parse(fs.readFileSync(heapFile, 'utf8'));
  } catch {
    // Not written yet, or caught half-written: keep the last figures.
  }
  return lastHeap;
}

if (!(await upstreamsReady(START_TIMEOUT_MS)))
  throw new Error(`upstreams not ready: ${JSON.stringify(await statuses())}`);
await sleep(1200); // a first heap figure
console.log(
  `soak: ${fmt(SESSIONS)} sessions, ${fmt(CALLS)} calls, ${CONCURRENCY} sessions at a time, upstreams ${UPSTREAMS.join(', ')} ` +
    `killed every ${KILL_EVERY_MS / 1000} s in turn, policy rewritten every ${RELOAD_EVERY_MS / 1000} s; ` +
    `gateway pid ${gateway.pid} on port ${runtime.port}`,
);

// ---- under load: children sampled, upstreams killed, the policy rewritten, figures printed ----
const tally = newTally();
const started = Date.now();
const deadline = started + TIME_LIMIT_MS;
const series = [];
const everSeen = new Map();
let maxChildren = 0;
let kills = 0;
let reloads = 0;
let killFailures = 0;
let lastCalls = 0;

function sampleChildren() {
  const children = liveDescendants(gateway.pid);
  for (const child of children) everSeen.set(`${child.pid}:${child.start}`, child);
  maxChildren = Math.max(maxChildren, children.length);
  return children;
}

function memory() {
  const h = heap();
  return {
    rss: rssMb(gateway.pid),
    heapUsed: h ? mb(h.heapUsed) : NaN,
    heapTotal: h ? mb(h.heapTotal) : NaN,
  };
}

function report() {
  const seconds = (Date.now() - started) / 1000;
  const m = memory();
  const children = sampleChildren().length;
  series.push({ seconds, calls: tally.calls, ...m });
  const o = tally.outcomes;
  console.log(
    `${seconds.toFixed(0).padStart(5)} s  calls ${fmt(tally.calls).padStart(7)} (${fmt((tally.calls - lastCalls) / (REPORT_EVERY_MS / 1000))}/s)` +
      `  sessions ${tally.sessionsClosed} ended  RSS ${m.rss.toFixed(1)} MB  heap ${m.heapUsed.toFixed(1)}/${m.heapTotal.toFixed(1)} MB` +
      `  children ${children}  kills ${kills}  reloads ${reloads}  |  ok ${o.ok}  denied ${o.denied}` +
      `  rate-limited ${o.rate_limited}  tool errors ${o.tool_error}  JSON-RPC errors ${o.rpc_error}  no answer ${o.no_answer}`,
  );
  lastCalls = tally.calls;
}

async function killOne() {
  const name = UPSTREAMS[kills % UPSTREAMS.length];
  try {
    const status = (await statuses()).find((s) => s.name === name);
    // Only a child of this gateway is ever killed.
    const ours = liveDescendants(gateway.pid).some((c) => c.pid === status?.pid);
    if (status?.state !== 'ready' || !status.pid || !ours) return;
    process.kill(status.pid, 'SIGKILL');
    kills++;
  } catch {
    killFailures++;
  }
}

const timers = [
  setInterval(sampleChildren, 1000),
  setInterval(() => {
    try {
      writePolicy(home, ++reloads);
    } catch (err) {
      console.error(`policy rewrite failed: ${err.message}`);
    }
  }, RELOAD_EVERY_MS),
  setInterval(() => void killOne(), KILL_EVERY_MS),
  setInterval(report, REPORT_EVERY_MS),
];
const start = memory();
await runSessions({
  mcpUrl: runtime.mcpUrl,
  token,
  sessions: SESSIONS,
  totalCalls: CALLS,
  concurrency: CONCURRENCY,
  tally,
  shouldStop: () => Date.now() > deadline,
});
const loadSeconds = (Date.now() - started) / 1000;
for (const timer of timers) clearInterval(timer);
const timedOut = Date.now() > deadline;
report();

// ---- after the load: sessions, children, then the gateway stopped and its children looked for ----
const settled = await upstreamsReady(15_000);
await sleep(500);
const grants = (await api('GET', '/grants')).grants;
const sessionsOpen = grants.find((g) => g.name === SOAK_GRANT)?.sessions ?? NaN;
const upstreamPids = new Set((await statuses()).map((s) => s.pid).filter(Boolean));
// Besides its upstreams the gateway keeps one watchdog (upstream/watchdog.ts: `node -e`, it kills the upstreams'
// process groups should the gateway die).
const isWatchdog = (child) =>
  child.command.startsWith(`${process.execPath} -e`) && child.command.includes('reap');
const childrenAfter = sampleChildren();
const extraChildren = [
  ...childrenAfter.filter((c) => !upstreamPids.has(c.pid) && !isWatchdog(c)),
  ...childrenAfter.filter(isWatchdog).slice(1),
];
const restarts = (await statuses()).reduce((sum, s) => sum + (s.restarts ?? 0), 0);
const end = memory();
const stopStarted = Date.now();
process.kill(gateway.pid, 'SIGTERM');
const exit = await Promise.race([gateway.exited, sleep(10_000).then(() => undefined)]);
const stopMs = Date.now() - stopStarted;
await sleep(2000);
const leftAlive = [...everSeen.values()].filter(stillRunning);
for (const proc of leftAlive) {
  try {
    process.kill(proc.pid, 'SIGKILL');
  } catch {
    // Gone meanwhile.
  }
}
if (!exit) gateway.kill('SIGKILL');

const log = readLog(path.join(home, 'logs'));
const check = reconcile(tally, log);
const diagnostics = fs.existsSync(path.join(home, 'gatehouse.log'))
  ? fs.readFileSync(path.join(home, 'gatehouse.log'), 'utf8').split('\n').filter(Boolean)
  : [];

// ---- the report ----
const peak = {
  rss: Math.max(start.rss, ...series.map((s) => s.rss)),
  heapUsed: Math.max(start.heapUsed, ...series.map((s) => s.heapUsed).filter(Number.isFinite)),
};
const o = tally.outcomes;
console.log('\nsoak summary');
console.log(
  `  load: ${fmt(tally.calls)} calls in ${tally.sessionsOpened} sessions (${tally.sessionFailures} failed to open) in ` +
    `${loadSeconds.toFixed(1)} s = ${fmt(tally.calls / loadSeconds)} calls/s${timedOut ? ' (stopped by the time limit)' : ''}`,
);
console.log(
  `  outcomes: ok ${fmt(o.ok)}, denied ${fmt(o.denied)}, rate-limited ${fmt(o.rate_limited)}, tool errors ${fmt(o.tool_error)}, ` +
    `JSON-RPC errors ${fmt(o.rpc_error)}, no answer ${fmt(o.no_answer)}`,
);
const kinds = [...tally.errorKinds].sort((a, b) => b[1] - a[1]);
for (const [kind, count] of kinds.slice(0, 8)) console.log(`    ${fmt(count).padStart(7)} × ${kind}`);
console.log(
  `  upstreams: ${kills} killed (SIGKILL${killFailures > 0 ? `; ${killFailures} kill attempts failed` : ''}), ${restarts} restarts counted by the gateway, ready again: ${settled ? 'yes' : 'NO'}; ` +
    `policy rewritten ${reloads} times, ${check.policyVersions} policy versions in the records`,
);
console.log(
  `  memory (gateway): RSS ${start.rss.toFixed(1)} MB at start, ${peak.rss.toFixed(1)} peak, ${end.rss.toFixed(1)} at end; ` +
    `heap used ${start.heapUsed.toFixed(1)} MB at start, ${peak.heapUsed.toFixed(1)} peak, ${end.heapUsed.toFixed(1)} at end (of ${end.heapTotal.toFixed(1)})`,
);
const every = Math.max(1, Math.ceil(series.length / 16));
console.log(
  `  over time (s: RSS/heap MB): ${series
    .filter((_, i) => i % every === 0 || i === series.length - 1)
    .map((s) => `${s.seconds.toFixed(0)}: ${s.rss.toFixed(0)}/${s.heapUsed.toFixed(0)}`)
    .join(', ')}`,
);
console.log(
  `  sessions: ${tally.sessionsClosed} ended by the clients; ${sessionsOpen} still open in the gateway after the load`,
);
console.log(
  `  processes: at most ${maxChildren} children during the load (${UPSTREAMS.length} upstreams and a watchdog expected); ` +
    `${extraChildren.length} beyond the upstreams after the load; ${leftAlive.length} still alive after the gateway stopped ` +
    `(it exited ${exit ? `with ${exit.code ?? exit.sig} in ${stopMs} ms` : 'NOT within 10 s'})`,
);
console.log(
  `  call log: ${fmt(log.records)} records in ${log.files} day file(s), ${fmt(log.lines)} lines (${log.unreadable} unreadable, ` +
    `${log.orphanOutcomes} outcomes without a decision); ${check.missingDecision.length} answered calls without a ` +
    `decision line, ${check.missingOutcome.length} forwarded calls without an outcome; ${check.noAnswerLogged} of ` +
    `${o.no_answer} unanswered calls logged; ${check.unmatched} records of no client call`,
);
for (const [tool, { most, max }] of Object.entries(check.limits))
  console.log(`  rate limit of ${tool}: at most ${most} charged in any window (max ${max})`);
console.log(`  gateway diagnostics: ${diagnostics.length} lines in gatehouse.log`);

const describe = (p) => `${p.pid} ${p.command.replace(/\s+/g, ' ').slice(0, 100)}`;
const failures = [
  ...(leftAlive.length > 0
    ? [`processes alive after the gateway stopped: ${leftAlive.map(describe).join('; ')}`]
    : []),
  ...(extraChildren.length > 0
    ? [`children beyond the upstreams: ${extraChildren.map(describe).join('; ')}`]
    : []),
  ...(check.missingDecision.length > 0
    ? [`answered calls without a decision line: ${check.missingDecision.slice(0, 5).join(', ')}`]
    : []),
  ...(check.missingOutcome.length > 0
    ? [`forwarded calls without an outcome line: ${check.missingOutcome.slice(0, 5).join(', ')}`]
    : []),
  ...(check.deniedForwarded.length > 0
    ? [`denied tools forwarded: ${check.deniedForwarded.slice(0, 5).join(', ')}`]
    : []),
  ...Object.entries(check.limits)
    .filter(([, { most, max }]) => most > max)
    .map(([tool, { most, max }]) => `rate limit of ${tool} let ${most} through in one window (max ${max})`),
];
fs.rmSync(home, { recursive: true, force: true });
untrackDir(home);
if (failures.length > 0) {
  console.log(`\nsoak FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('\nsoak passed: no leaked process, no lost record');
process.exit(0);
