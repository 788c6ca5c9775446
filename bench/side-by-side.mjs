// Two builds of Gatehouse (or a build and a peer) measured side by side, in interleaved rounds: p50/p90 of sequential
// echo calls, calls/s at 16 in flight, and the CPU per call of the measured process. The evidence behind each
// optimisation in README "Performance"; not part of `npm run bench`.
//
//   node bench/side-by-side.mjs --snapshot NAME          keep the current build (bin/ and dist/node/) as bench/builds/NAME
//   node bench/side-by-side.mjs [--rounds N] [--calls N] TARGET...
//
// TARGET: gatehouse (the current build), gatehouse@NAME (a kept build), gatehouse:FLAGS (the current build with node
// flags, e.g. "gatehouse:--single-threaded-gc"), mcp-proxy (without its event store), supergateway, direct.
import fs from 'node:fs';
import path from 'node:path';
import './quiet-warnings.mjs';
import { latency, percentile, roundOrder, throughput, turn } from './measure.mjs';
import { root, startDirect, startGatehouse, startMcpProxy, startSupergateway } from './targets.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const builds = path.join(root, 'bench/builds');

const snapshot = option('--snapshot');
if (snapshot) {
  const dir = path.join(builds, snapshot);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.cpSync(path.join(root, 'dist/node'), path.join(dir, 'dist/node'), { recursive: true });
  console.log(`kept the current build as ${path.relative(root, dir)}`);
  process.exit(0);
}

const rounds = Number(option('--rounds', '5'));
const calls = Number(option('--calls', '500'));
if (args.length === 0) {
  console.error(
    'usage: node bench/side-by-side.mjs [--rounds N] [--calls N] TARGET...  (see the top of this file)',
  );
  process.exit(2);
}

function start(spec) {
  const named = (target) => Object.assign(target, { name: spec });
  if (spec === 'gatehouse') return startGatehouse().then(named);
  if (spec.startsWith('gatehouse@')) {
    const cliPath = path.join(builds, spec.slice('gatehouse@'.length), 'bin/gatehouse.js');
    if (!fs.existsSync(cliPath)) throw new Error(`no kept build at ${cliPath} (make it with --snapshot)`);
    return startGatehouse({ cliPath }).then(named);
  }
  if (spec.startsWith('gatehouse:'))
    return startGatehouse({ nodeArgs: spec.slice('gatehouse:'.length).split(' ') }).then(named);
  if (spec === 'mcp-proxy') return startMcpProxy({ eventStore: false }).then(named);
  if (spec === 'supergateway') return startSupergateway().then(named);
  if (spec === 'direct') return startDirect().then(named);
  throw new Error(`unknown target "${spec}"`);
}

const targets = [];
try {
  for (const spec of args) targets.push(await start(spec));
  const samples = new Map(targets.map((t) => [t, { latency: [], cpuMs: 0, calls: 0, seconds: 0 }]));
  for (const t of targets) {
    await latency(t, 200, []);
    await throughput(t, 200);
  }
  for (let round = 0; round < rounds; round++) {
    for (const t of roundOrder(targets, round)) {
      await turn(t, samples.get(t), { latencyCalls: calls, throughputCalls: calls });
    }
  }
  for (const t of targets) {
    const s = samples.get(t);
    const sorted = [...s.latency].sort((a, b) => a - b);
    console.log(
      `${t.name.padEnd(36)} p50 ${Math.round(percentile(sorted, 50))} µs  p90 ${Math.round(percentile(sorted, 90))} µs  ` +
        `${Math.round(s.calls / s.seconds)} calls/s  CPU ${Math.round((s.cpuMs * 1000) / (s.calls + s.latency.length))} µs/call`,
    );
  }
} finally {
  await Promise.all(targets.map((t) => t.stop().catch(() => undefined)));
}
process.exit(0);
