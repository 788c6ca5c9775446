// Bundles the Node side (the CLI, the gateway core, the Electron main and preload) with esbuild.
// The Electron main and preload keep their dependencies external: they are resolved from node_modules at run time.
// The CLI is one CommonJS file with its dependencies inside (express aside: it is loaded with the first control API or
// dashboard request). Why (README "Performance"): `gatehouse serve` spent most of its start reading and resolving
// hundreds of module files; bundled, it reaches its ready line about 90 ms sooner (200 against 290 ms on Node 20).
import fs from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    packages: undefined,
    external: ['express'],
    format: 'cjs',
    entryPoints: { cli: 'electron/cli.ts' },
    outdir: 'dist/node',
    // Some packages ship a UMD "main" that requires files by computed paths (jsonc-parser): take their ES module build.
    mainFields: ['module', 'main'],
    define: { 'import.meta.url': '__gatehouseUrl' },
    banner: { js: "var __gatehouseUrl = require('node:url').pathToFileURL(__filename).href;" },
  }).then(() => fs.writeFileSync('dist/node/package.json', '{ "type": "commonjs" }\n')),
  build({
    ...common,
    format: 'esm',
    entryPoints: { main: 'electron/main.ts' },
    outdir: 'dist/electron',
    external: ['electron'],
  }),
  build({
    ...common,
    format: 'cjs',
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);
