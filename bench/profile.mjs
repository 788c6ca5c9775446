// Profiles `gatehouse serve` under load: node --cpu-prof on the gateway during a few thousand echo calls (sequential
// and at 16 in flight), then the summary of bench/profile-summary.mjs. Not part of `npm run bench`.
// Usage: node bench/profile.mjs [--calls N] [--build NAME] [--keep]   (--keep leaves the .cpuprofile in the temporary
// folder; --build profiles a build kept by bench/side-by-side.mjs --snapshot NAME)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import './quiet-warnings.mjs';
import { latency, throughput } from './measure.mjs';
import { cpuMs, rssMb, trackDir } from './procs.mjs';
import { printSummary, summarize } from './profile-summary.mjs';
import { root, startGatehouse } from './targets.mjs';

const args = process.argv.slice(2);
const callsAt = args.indexOf('--calls');
const calls = Math.min(100_000, Math.max(100, callsAt >= 0 ? Number(args[callsAt + 1]) : 4000));
const keep = process.argv.includes('--keep');
const buildAt = args.indexOf('--build');
const buildDir = buildAt >= 0 ? path.join(root, 'bench/builds', args[buildAt + 1]) : root;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-prof-'));
if (!keep) trackDir(dir);
const deadline = setTimeout(() => {
  console.error('profile: still running after 300 s — giving up');
  process.exit(1);
}, 300_000);
deadline.unref();

// The bundle's source map as it is now: a rebuild during the run must not shift the names of the profile's frames.
const bundle = path.join(buildDir, 'dist/node/cli.js');
const mapSnapshot = path.join(dir, 'cli.js.map');
fs.copyFileSync(`${bundle}.map`, mapSnapshot);
const gatehouse = await startGatehouse({
  nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
  cliPath: path.join(buildDir, 'bin/gatehouse.js'),
  stopGraceMs: 10_000,
});
let measured;
try {
  await latency(gatehouse, 200, []); // warm-up
  const cpuBefore = cpuMs(gatehouse.pid);
  const sequential = [];
  const seqStart = process.hrtime.bigint();
  await latency(gatehouse, calls / 2, sequential);
  const seqSeconds = Number(process.hrtime.bigint() - seqStart) / 1e9;
  const parSeconds = await throughput(gatehouse, calls / 2);
  const cpuAfter = cpuMs(gatehouse.pid);
  sequential.sort((a, b) => a - b);
  measured = {
    calls,
    sequentialP50Us: Math.round(sequential[Math.floor(sequential.length / 2)]),
    sequentialCallsPerSecond: Math.round(calls / 2 / seqSeconds),
    inflightCallsPerSecond: Math.round(calls / 2 / parSeconds),
    gatewayCpuUsPerCall: Math.round(((cpuAfter - cpuBefore) * 1000) / calls),
    gatewayRssMbAfter: Math.round(rssMb(gatehouse.pid)),
  };
} finally {
  await gatehouse.stop();
}
const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) {
  console.error(`profile: no .cpuprofile was written in ${dir} (did the gateway exit cleanly?)`);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
console.log(JSON.stringify(measured));
// The profile spans the whole life of the gateway (start-up, warm-up, shutdown); its shares are applied to the
// CPU per call measured from /proc during the calls (the sampler counts wall time, which a busy machine inflates).
const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
printSummary(summarize(profile, { mapFiles: { [bundle]: mapSnapshot } }), {
  calls: calls + 200,
  cpuUsPerCall: measured.gatewayCpuUsPerCall,
});
if (keep) console.log(`\nprofile kept: ${path.join(dir, file)} (source map of the run: ${mapSnapshot})`);
else fs.rmSync(dir, { recursive: true, force: true });
clearTimeout(deadline);
