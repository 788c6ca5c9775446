// Bundles the Node side (the CLI, the gateway core, the Electron main and preload) with esbuild.
// The Electron main and preload keep their dependencies external: they are resolved from node_modules at run time.
// The CLI is one CommonJS file with its dependencies inside (express aside: it is loaded with the first control API or
// dashboard request), which bin/gatehouse.js compiles with V8's code cache. Why (README "Performance"): `gatehouse
// serve` spent most of its start reading, resolving and compiling hundreds of module files.
import { execFileSync } from 'node:child_process';
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

const CLI = 'dist/node/cli.js';

/**
 * esbuild escapes every non-ASCII character of the code, but not of comments; one such character makes V8 hold the
 * whole source as a two-byte string (slower to read and parse). They are replaced, one for one, with "?" — and only
 * where the line shows they are inside a comment; anything else stops the build.
 */
function asciiOnly(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let changed = 0;
  const out = lines.map((line, i) => {
    const at = line.search(/[\u0080-\uffff]/);
    if (at < 0) return line;
    const before = line.slice(0, at);
    const inComment = before.includes('//') || /^\s*(\/\*|\*)/.test(line);
    if (!inComment)
      throw new Error(`${file}:${i + 1}: a non-ASCII character outside a comment: ${line.trim()}`);
    changed++;
    return line.replace(/[\u0080-\uffff]/g, '?');
  });
  if (changed > 0) fs.writeFileSync(file, out.join('\n'));
}

/**
 * A script restored from V8's code cache cannot import() on Node 20 (the loader callback is lost), so the bundle must
 * not import() at run time; pkce-challenge's import("node:crypto") runs only where globalThis.crypto is missing.
 */
function noDynamicImport(file) {
  const known = ['import("node:crypto")'];
  for (const [i, line] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*\*/.test(line) || !/\bimport\(\s*["'`]/.test(code)) continue;
    if (!known.some((k) => code.includes(k)))
      throw new Error(`${file}:${i + 1}: import() in the bundle: ${line.trim()}`);
  }
}

// Code caches of earlier builds go (bin/gatehouse.js names each by the bundle's hash); tests may be running the CLI
// while this builds, so the bundle itself is overwritten in place, as esbuild does.
for (const file of fs.existsSync('dist/node') ? fs.readdirSync('dist/node') : []) {
  if (file.endsWith('.cache')) fs.rmSync(`dist/node/${file}`, { force: true });
}

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
  }).then(() => {
    asciiOnly(CLI);
    noDynamicImport(CLI);
    fs.writeFileSync('dist/node/package.json', '{ "type": "commonjs" }\n');
    // The first run makes the code cache (bin/gatehouse.js): done here, so the first real start is fast too.
    // `serve` runs under other V8 flags, so it has a cache of its own (`serve --help` makes it).
    execFileSync(process.execPath, ['bin/gatehouse.js', '--version'], { stdio: 'ignore' });
    execFileSync(process.execPath, ['bin/gatehouse.js', 'serve', '--help'], { stdio: 'ignore' });
  }),
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
