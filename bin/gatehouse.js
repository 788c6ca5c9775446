#!/usr/bin/env node
// The `gatehouse` command: a thin launcher for the bundled CLI (built by `npm install`'s prepare step).
import fs from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

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
if (process.argv.slice(2).includes('serve')) {
  v8.setFlagsFromString('--min-semi-space-size=2');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--heap-growing-percent=20');
}
// Node 22.1 and later keep the compiled bundle on disk between runs (Node's own compile cache, in the temporary folder
// unless NODE_COMPILE_CACHE names another; NODE_DISABLE_COMPILE_CACHE=1 turns it off). Node 20 compiles it each start.
if (typeof module.enableCompileCache === 'function') module.enableCompileCache();
module.createRequire(import.meta.url)(cli);
