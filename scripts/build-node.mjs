// Bundles the Node side (the CLI, the gateway core, the Electron main and preload) with esbuild.
// Dependencies stay external: they are resolved from node_modules at run time.
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
  build({ ...common, format: 'esm', entryPoints: { cli: 'electron/cli.ts' }, outdir: 'dist/node' }),
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
