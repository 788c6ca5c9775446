// `npm run bench`: server-everything's echo through direct stdio, Gatehouse (Streamable HTTP and the stdio bridge),
// supergateway and mcp-proxy, measured in interleaved rounds so that the machine's noise hits every target alike;
// then the decision engine alone; then a month of call history (bench/history/: 3,000,000 generated calls, the API and
// the dashboard on them; `--no-history` leaves it out); and the goals. `--quick` is CI's smoke run: few calls, every
// code path once. Full mode writes bench/results/latest.json. Every child process is stopped at the end, whatever
// happens.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import './quiet-warnings.mjs';
import { benchDashboard } from './dashboard.mjs';
import { checkGoals } from './goals.mjs';
import { historyPlan, runHistory } from './history/section.mjs';
import { latency, roundOrder, summarize, throughput, turn, INFLIGHT } from './measure.mjs';
import { countRules, benchPolicy } from './policies.mjs';
import { rssMb } from './procs.mjs';
import { printReport } from './report.mjs';
import { runTeam } from './team.mjs';
import {
  bridgeMissing,
  mcpProxyHasNoEventStore,
  root,
  startBridge,
  startDirect,
  startGatehouse,
  startMcpProxy,
  startSupergateway,
} from './targets.mjs';

const quick = process.argv.includes('--quick');
const history = process.argv.includes('--no-history') ? undefined : historyPlan(quick);
// What the history section may take at most: generating it (about a minute here), and each of its parts bounded.
const HISTORY_DEADLINE_S = quick ? 600 : 1500;
const plan = quick
  ? {
      rounds: 2,
      latencyCalls: 25,
      throughputCalls: 64,
      warmupCalls: 10,
      settleMs: 0,
      engineSeconds: 0.3,
      deadlineS: 58,
      dashboard: {
        records: 10_000,
        loadedTarget: 2_200,
        scrollSteps: 60,
        streamSeconds: 2,
        rate: 100,
        timeoutS: 25,
      },
    }
  : {
      // Many short rounds rather than a few long ones: the machine's speed drifts within seconds, and a short round
      // lets that drift fall on every target alike (5 rounds of 1,000 + 2,000 calls moved the HTTP p50 ratio by ±0.1
      // between runs).
      rounds: 20,
      latencyCalls: 250,
      throughputCalls: 500,
      // A pause after each target's turn, so what one leaves behind (the kernel writing its log out, garbage in the
      // client) settles before the next is measured instead of falling on it.
      settleMs: 200,
      warmupCalls: 200,
      engineSeconds: 2,
      deadlineS: 900,
      dashboard: {
        records: 100_000,
        loadedTarget: 10_200,
        scrollSteps: 60,
        streamSeconds: 5,
        rate: 100,
        timeoutS: 180,
      },
    };

const started = Date.now();
const loadStart = os.loadavg();
const live = [];
const skipped = {};
let stopping;

async function stopAll() {
  stopping ??= Promise.all(live.splice(0).map((t) => t.stop().catch(() => undefined)));
  await stopping;
}

// Bounded in time whatever happens: past the deadline everything is stopped and the run ends.
const deadlineS = plan.deadlineS + (history ? HISTORY_DEADLINE_S : 0);
const deadline = setTimeout(async () => {
  console.error(`bench: still running after ${deadlineS} s — stopping every target and giving up`);
  await stopAll();
  process.exit(1);
}, deadlineS * 1000);
deadline.unref();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await stopAll();
    process.exit(130);
  });
}

async function start(name, fn) {
  try {
    const target = await fn();
    live.push(target);
    console.log(`started ${name} in ${Math.round(target.startMs)} ms`);
    return target;
  } catch (err) {
    skipped[name] = err.message;
    console.log(`${name}: failed to start (${err.message}) — continuing without it`);
    return undefined;
  }
}

function engineBench() {
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench/engine.ts'), String(plan.engineSeconds)],
      { cwd: root, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(out.trim().split('\n').pop());
  } catch (err) {
    skipped.engine = String(err.stderr || err.message)
      .trim()
      .split('\n')[0];
    console.log(`engine: failed (${skipped.engine})`);
    return undefined;
  }
}

/** What the call log holds after the run: bytes and lines (a decision line and an outcome line per call). */
function logSize(dir) {
  try {
    let bytes = 0;
    let lines = 0;
    for (const file of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      bytes += Buffer.byteLength(text);
      lines += text.split('\n').length - 1;
    }
    return { callLogBytes: bytes, callLogLines: lines };
  } catch {
    return { callLogBytes: null, callLogLines: null };
  }
}

async function main() {
  await start('direct stdio', startDirect);
  const gatehouse = await start('gatehouse http', startGatehouse);
  const noBridge = bridgeMissing();
  if (noBridge) {
    skipped['gatehouse bridge'] = noBridge;
    console.log(`bridge: not available (${noBridge})`);
  } else if (!gatehouse) {
    skipped['gatehouse bridge'] = 'gatehouse serve did not start';
    console.log('bridge: not available (gatehouse serve did not start)');
  } else {
    await start('gatehouse bridge', () => startBridge(gatehouse));
  }
  // Peers start one after another in full mode (their start times stay clean); at once in quick mode (CI's budget).
  const hasNoEventStore = mcpProxyHasNoEventStore();
  if (!hasNoEventStore) skipped['mcp-proxy (no event store)'] = 'this mcp-proxy has no --no-eventStore flag';
  const peers = [
    ['supergateway', startSupergateway],
    ['mcp-proxy', () => startMcpProxy({ eventStore: true })],
    ...(hasNoEventStore ? [['mcp-proxy (no event store)', () => startMcpProxy({ eventStore: false })]] : []),
  ];
  if (quick) await Promise.all(peers.map(([name, fn]) => start(name, fn)));
  else for (const [name, fn] of peers) await start(name, fn);

  const ORDER = ['direct stdio', 'gatehouse http', 'gatehouse bridge', 'supergateway', 'mcp-proxy'];
  const rank = (t) => (ORDER.includes(t.name) ? ORDER.indexOf(t.name) : ORDER.length);
  live.sort((a, b) => rank(a) - rank(b));
  const samples = new Map(live.map((t) => [t, { latency: [], calls: 0, seconds: 0, cpuMs: 0 }]));
  for (const t of live) {
    try {
      await latency(t, plan.warmupCalls, []);
      await throughput(t, plan.warmupCalls);
    } catch (err) {
      skipped[t.name] = `failed during warm-up: ${err.message}`;
    }
  }
  for (let round = 0; round < plan.rounds; round++) {
    const order = roundOrder(
      live.filter((t) => !skipped[t.name]),
      round,
    );
    for (const t of order) {
      try {
        await turn(t, samples.get(t), { ...plan, pids: t.cpuPids ?? [t.pid] });
        if (plan.settleMs) await new Promise((resolve) => setTimeout(resolve, plan.settleMs));
      } catch (err) {
        skipped[t.name] = `failed in round ${round + 1}: ${err.message}`;
        console.log(`${t.name}: ${skipped[t.name]} — dropped`);
      }
    }
    console.log(`round ${round + 1}/${plan.rounds} done`);
  }

  const targets = {};
  for (const t of live) {
    if (skipped[t.name]) continue;
    const s = samples.get(t);
    targets[t.name] = {
      ...summarize(s.latency, s.calls, s.seconds),
      rssMb: round1(rssMb(t.pid)),
      rssOf: t.rssOf,
    };
    targets[t.name].startMs = Math.round(t.startMs);
    // CPU of the measured process(es) per call: less sensitive to a busy machine than latency.
    targets[t.name].cpuUsPerCall = Math.round((s.cpuMs * 1000) / (s.latency.length + s.calls));
    targets[t.name].cpuOf = t.cpuOf ?? t.rssOf;
  }
  const gatehouseFigures = gatehouse && {
    readyMs: Math.round(gatehouse.readyMs),
    rssMb: round1(rssMb(gatehouse.pid)),
    policyRules: countRules(benchPolicy()),
    ...logSize(gatehouse.logsDir),
  };
  // Team mode: shared counters on Redis against local counting (bench/team.mjs), stopped with everything else here.
  const team = await runTeam({ quick, start, skipped });
  await stopAll();

  // The dashboard alone, after the targets are stopped: its own gateway and browser, stopped before the engine runs.
  const p = plan.dashboard;
  console.log(
    `dashboard: ${p.records.toLocaleString('en-US')}-record log, ${p.scrollSteps} scroll steps, ` +
      `${p.rate} calls/s for ${p.streamSeconds} s…`,
  );
  const dashboard = await benchDashboard(p);
  if (!dashboard.measured) console.log(`dashboard: not measured (${dashboard.why})`);

  console.log(`engine: ${plan.engineSeconds} s of decisions on a 1,000-rule policy…`);
  const engine = engineBench();

  // The history last, alone on the machine: its gateway and browser are stopped before the report.
  const historySection = history && (await runHistory(history));
  const cpus = os.cpus();
  const machine = {
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: round1(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavgAtStart: loadStart.map(round1),
    loadavgAtEnd: os.loadavg().map(round1),
  };
  const result = {
    bench: 'gatehouse',
    quick,
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine,
    note:
      `interleaved rounds on a shared machine (${machine.cores} cores; other work may run alongside: ` +
      `load average ${machine.loadavgAtStart.join('/')} at start, ${machine.loadavgAtEnd.join('/')} at end)`,
    plan: { ...plan, inflight: INFLIGHT, workload: "server-everything echo, {message:'m<i>'}" },
    targets,
    skipped,
    gatehouse: gatehouseFigures,
    engine,
    dashboard,
    ...(team ? { team } : {}),
    ...(historySection ? { history: historySection } : {}),
  };
  result.goals = checkGoals(result);
  printReport(result);
  console.log(JSON.stringify(result));
  if (!quick) {
    fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench/results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote bench/results/latest.json');
  }
}

function round1(v) {
  return Number.isFinite(v) ? Math.round(v * 10) / 10 : null;
}

try {
  await main();
} finally {
  await stopAll();
  clearTimeout(deadline);
}
