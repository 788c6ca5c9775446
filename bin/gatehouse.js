#!/usr/bin/env node
// The `gatehouse` command: a thin launcher for the bundled CLI (built by `npm install`'s prepare step).
// It compiles the bundle with V8's code cache, kept next to it (Node 20 has no module.enableCompileCache()): compiling
// the bundle from source took about a quarter of `gatehouse serve`'s start (README "Performance"). The cache is named by
// the bundle's hash, and V8 rejects it when its own version or flags differ; a rejected or missing cache means the
// bundle is compiled from source and the cache written again. Only this folder's owner can write there, as for the
// bundle itself.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const cli = fileURLToPath(new URL('../dist/node/cli.js', import.meta.url));
if (!fs.existsSync(cli)) {
  process.stderr.write(
    `gatehouse: ${cli} is missing — the CLI has not been built. Run "npm install" (or "npm run build:node") in the Gatehouse folder.\n`,
  );
  process.exit(1);
}
// `gatehouse serve`: the young generation has one fixed size, 2 MB per semi-space, instead of starting at 1 MB and
// doubling up to 16 MB twice over. The gateway allocates briefly per call: the grown young generation was about 25 MB
// of its resident memory after a long run, and at a fixed 1 MB it collected so often that it cost about a fifth of the
// CPU per call and p50 latency; 2 MB keeps most of the memory saving and gives back that time (README "Performance",
// measured with bench side by side). And the old generation grows by a fifth at each full collection instead of V8's
// up to fourfold: the live heap stays about 15 MB, but the resident memory swung between about 80 and 120 MB as old
// space grew and shrank; grown by a fifth it stays near 82 MB, at the same CPU per call (bench/memory.mjs, 72,000
// calls). Other commands (the bridge relays calls too) keep V8's default. Set before the bundle runs; a home folder
// named "serve" gets it too, which does no harm.
const serving = process.argv.slice(2).includes('serve');
if (serving) {
  v8.setFlagsFromString('--min-semi-space-size=2');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--heap-growing-percent=20');
}

/** The bundle compiled (from the code cache when there is a good one); read in a function, so its buffers can go. */
function compile() {
  const bundle = fs.readFileSync(cli);
  // Named by the bundle's content: V8 itself checks only the source's length.
  const hash = crypto.createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  // V8 rejects a cache made under other flags: serve has its own.
  const cacheFile = `${cli}.${hash}.${process.version}-${process.arch}${serving ? '-serve' : ''}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // none yet: this run makes it
  }
  const script = new vm.Script(Module.wrap(bundle.toString('utf8')), { filename: cli, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written when this process ends (or after a while, for a long-running serve), so the cache also holds the
    // functions compiled while running. A folder that cannot be written (a read-only install) only means no cache.
    let written = false;
    const writeCache = () => {
      if (written) return;
      written = true;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    };
    process.once('exit', writeCache);
    setTimeout(writeCache, 10_000).unref();
  }
  return script.runInThisContext();
}

const cliModule = new Module(cli);
cliModule.filename = cli;
compile()(cliModule.exports, createRequire(cli), cliModule, cli, path.dirname(cli));
