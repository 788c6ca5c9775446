// Where the gateway's memory goes as calls accumulate: RSS after each batch of echo calls (sequential and 16 in flight,
// as in `npm run bench`), and with --snapshot a heap snapshot at the end, summarized by constructor (self size).
// Not part of `npm run bench`. Usage: node bench/memory.mjs [--calls N] [--batches N] [--snapshot] [--node-arg FLAG]…
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import './quiet-warnings.mjs';
import { latency, throughput } from './measure.mjs';
import { cpuMs, rssMb, trackDir } from './procs.mjs';
import { startGatehouse } from './targets.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const calls = option('--calls', 6000);
const batches = option('--batches', 5);
const snapshot = args.includes('--snapshot');
const nodeArgs = args.filter((a, i) => args[i - 1] === '--node-arg');
const dir = trackDir(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mem-')));

const gatehouse = await startGatehouse({
  nodeArgs: [...nodeArgs, ...(snapshot ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] : [])],
  stopGraceMs: 10_000,
});
try {
  console.log(`after start: RSS ${rssMb(gatehouse.pid).toFixed(1)} MB`);
  for (let b = 1; b <= batches; b++) {
    const cpuBefore = cpuMs(gatehouse.pid);
    await latency(gatehouse, calls / 3, []);
    await throughput(gatehouse, (calls * 2) / 3);
    const cpuUs = ((cpuMs(gatehouse.pid) - cpuBefore) * 1000) / calls;
    if (process.env.MEMDUMP) process.kill(gatehouse.pid, 'SIGUSR2');
    console.log(
      `after ${(b * calls).toLocaleString('en-US')} calls: RSS ${rssMb(gatehouse.pid).toFixed(1)} MB, ` +
        `gateway CPU ${Math.round(cpuUs)} µs/call in this batch`,
    );
  }
  if (snapshot) {
    process.kill(gatehouse.pid, 'SIGUSR2');
    let file;
    for (let i = 0; i < 600 && !file; i++) {
      await new Promise((r) => setTimeout(r, 100));
      file = fs.readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
      if (file && fs.statSync(path.join(dir, file)).size === 0) file = undefined;
    }
    await new Promise((r) => setTimeout(r, 2000)); // the writer finishes the file
    if (file) summarizeSnapshot(path.join(dir, file));
    else console.log('no heap snapshot was written');
  }
} finally {
  await gatehouse.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

function summarizeSnapshot(file) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const by = new Map();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]];
    const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`;
    const size = snap.nodes[i + sizeAt];
    total += size;
    const entry = by.get(name) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count++;
    by.set(name, entry);
  }
  console.log(
    `heap snapshot: ${(total / 2 ** 20).toFixed(1)} MB in ${(snap.nodes.length / fields.length).toLocaleString('en-US')} objects`,
  );
  for (const [name, { size, count }] of [...by].sort((a, b) => b[1].size - a[1].size).slice(0, 25)) {
    console.log(
      `  ${(size / 2 ** 20).toFixed(2).padStart(7)} MB  ${String(count).padStart(8)}  ${name.slice(0, 80)}`,
    );
  }
}
