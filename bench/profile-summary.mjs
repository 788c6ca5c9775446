// Summarizes a V8 .cpuprofile (node --cpu-prof): self time by function and by module, and the time spent with a
// module anywhere on the stack (its inclusive share). Frames of the bundled CLI are mapped to their TypeScript
// sources through dist/node/cli.js.map. Usage: node bench/profile-summary.mjs FILE.cpuprofile [--calls N] [--cpu-us-per-call N] [--top N] [--map BUNDLE=MAPFILE] [--json]
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** The source map of a bundle of ours (packages keep their own file names: they say more than their sources). */
function sourceMapFor(url, cache, mapFiles) {
  if (!url.startsWith('file://') || url.includes('/node_modules/')) return undefined;
  if (cache.has(url)) return cache.get(url);
  let map;
  try {
    const file = fileURLToPath(url);
    // A map saved when the profile was taken wins: the bundle may have been rebuilt since.
    const mapFile = mapFiles[file] ?? `${file}.map`;
    if (fs.existsSync(mapFile)) map = new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')));
  } catch {
    map = undefined;
  }
  cache.set(url, map);
  return map;
}

/** A readable module name: a package and its file, a Gatehouse source, or a Node internal. */
export function moduleOf(url) {
  if (!url) return '(native/vm)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = clean.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    const inner = rest.slice(rest[0].startsWith('@') ? 2 : 1).join('/');
    if (pkg === '@modelcontextprotocol/sdk') return `sdk:${inner.replace(/^dist\/(esm|cjs)\//, '')}`;
    return pkg;
  }
  if (clean.startsWith('node:')) return clean.replace(/^node:(internal\/)?/, 'node:');
  return clean;
}

/** Which layer a module belongs to, for the per-layer summary. */
export function layerOf(mod) {
  if (SPECIAL.has(mod)) return mod;
  if (mod.startsWith('sdk:')) {
    if (/server\/streamableHttp|server\/webStandardStreamableHttp/.test(mod))
      return 'sdk: Streamable HTTP server transport';
    if (/client\/stdio|shared\/stdio/.test(mod)) return 'sdk: stdio client transport';
    if (/shared\/protocol|server\/index|client\/index/.test(mod)) return 'sdk: protocol (Server/Client)';
    if (/types/.test(mod)) return 'sdk: types (zod schemas)';
    return `sdk: ${mod.slice(4)}`;
  }
  if (mod === 'zod' || mod.startsWith('zod')) return 'zod';
  if (
    /^(express|router|body-parser|raw-body|finalhandler|send|serve-static|path-to-regexp|content-type|type-is|mime-types|on-finished|depd|debug|qs|cookie|accepts|negotiator|vary|encodeurl|escape-html|parseurl|http-errors|statuses|iconv-lite|media-typer|forwarded|proxy-addr|ipaddr\.js|fresh|etag|range-parser|merge-descriptors|utils-merge|setprototypeof|inherits|safe-buffer|unpipe|bytes|ee-first|destroy|mime|cors)$/.test(
      mod,
    )
  )
    return 'express & middleware';
  if (mod.startsWith('@hono') || mod === 'hono') return 'hono (SDK node adapter)';
  if (mod.includes('electron/gateway/log/') || mod.includes('/log/')) return 'gatehouse: call log';
  if (mod.includes('electron/gateway/upstream/')) return 'gatehouse: upstream';
  if (mod.includes('electron/gateway/front/')) return 'gatehouse: front (HTTP, sessions)';
  if (mod.includes('electron/gateway/rpc/')) return 'gatehouse: JSON-RPC peer and message checks';
  if (mod.includes('electron/gateway/calls/') || mod.includes('electron/gateway/app/call-router'))
    return 'gatehouse: call pipeline';
  if (mod.includes('electron/gateway/policy/') || mod.includes('electron/gateway/state/'))
    return 'gatehouse: policy engine';
  if (mod.includes('electron/') || mod.includes('shared/')) return 'gatehouse: other';
  if (mod.startsWith('node:')) return `node: ${mod.slice(5).split('/')[0]}`;
  if (mod === '(native/vm)') return '(native/vm)';
  return mod;
}

export function summarize(profile, { top = 25, mapFiles = {} } = {}) {
  const maps = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameOf = new Map();
  for (const n of profile.nodes) {
    const cf = n.callFrame;
    let where = cf.url;
    let line = cf.lineNumber + 1;
    const map = sourceMapFor(cf.url, maps, mapFiles);
    if (map && cf.lineNumber >= 0) {
      const entry = map.findEntry(cf.lineNumber, cf.columnNumber);
      if (entry?.originalSource) {
        where = path.relative(process.cwd(), entry.originalSource.replace(/^file:\/\//, ''));
        line = entry.originalLine + 1;
      }
    }
    const name = cf.functionName || (SPECIAL.has(cf.functionName) ? cf.functionName : '(anonymous)');
    const mod = SPECIAL.has(cf.functionName) ? cf.functionName : moduleOf(where);
    frameOf.set(n.id, { fn: `${name} ${moduleOf(where)}:${line}`, mod, layer: layerOf(mod) });
  }
  const selfFn = new Map();
  const selfMod = new Map();
  const selfLayer = new Map();
  const inclusiveLayer = new Map();
  const callers = new Map();
  const inclusiveFn = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  let total = 0;
  let idle = 0;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the delta to the next sample.
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    const id = samples[i];
    const f = frameOf.get(id);
    total += dt;
    if (f.mod === '(idle)') {
      idle += dt;
      continue;
    }
    add(selfFn, f.fn, dt);
    add(selfMod, f.mod, dt);
    add(selfLayer, f.layer, dt);
    // Who called it: the nearest ancestors outside Node's own internals, as a short chain.
    let chain = [];
    for (let at = parent.get(id); at !== undefined && chain.length < 3; at = parent.get(at)) {
      const frame = frameOf.get(at);
      if (!frame || frame.mod === '(root)') break;
      if (!frame.mod.startsWith('node:') && frame.mod !== '(native/vm)') chain.push(frame.fn);
    }
    if (!callers.has(f.fn)) callers.set(f.fn, new Map());
    add(callers.get(f.fn), chain.join(' < ') || '(no caller outside Node)', dt);
    const seen = new Set();
    const seenFn = new Set();
    for (let at = id, depth = 0; at !== undefined && depth < 500; at = parent.get(at), depth++) {
      const frame = frameOf.get(at);
      if (!frame) continue;
      if (!seen.has(frame.layer)) {
        seen.add(frame.layer);
        add(inclusiveLayer, frame.layer, dt);
      }
      // Inclusive time per function of the gateway and its packages (Node's own frames are left out).
      if (!frame.mod.startsWith('node:') && !SPECIAL.has(frame.mod) && !seenFn.has(frame.fn)) {
        seenFn.add(frame.fn);
        add(inclusiveFn, frame.fn, dt);
      }
    }
  }
  const sorted = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => ({ name: k, ms: Math.round(ms * 10) / 10 }));
  return {
    totalMs: Math.round(total),
    idleMs: Math.round(idle),
    busyMs: Math.round(total - idle),
    nodes: byId.size,
    selfByFunction: sorted(selfFn),
    selfByModule: sorted(selfMod),
    selfByLayer: sorted(selfLayer),
    inclusiveByLayer: sorted(inclusiveLayer),
    inclusiveByFunction: sorted(inclusiveFn),
    callersOfTop: sorted(selfFn)
      .slice(0, 8)
      .map((f) => ({ name: f.name, ms: f.ms, callers: sorted(callers.get(f.name)).slice(0, 3) })),
  };
}

/**
 * Prints the summary. The sampler counts wall time, so on a busy machine "busy" includes time the gateway was
 * descheduled; given `cpuUsPerCall` (measured from /proc), the per-call figures are the shares of that instead.
 */
export function printSummary(s, { calls, cpuUsPerCall } = {}) {
  const busy = s.busyMs;
  const usPerCall = (ms) =>
    cpuUsPerCall ? (ms / busy) * cpuUsPerCall : calls ? (ms * 1000) / calls : undefined;
  const perCall = (ms) => {
    const v = usPerCall(ms);
    return v === undefined ? '' : ` ${v.toFixed(1).padStart(7)} µs/call`;
  };
  const pct = (ms) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  console.log(
    `profile: ${s.totalMs} ms sampled, ${s.idleMs} ms idle, ${busy} ms busy (wall time while not idle)` +
      (calls ? `; ${((busy * 1000) / calls).toFixed(0)} µs busy per call over ${calls} calls` : '') +
      (cpuUsPerCall
        ? `; per-call figures below are shares of the measured ${cpuUsPerCall} µs of CPU per call`
        : ''),
  );
  const section = (title, rows) => {
    console.log(`\n${title} (share of busy time)`);
    for (const r of rows)
      console.log(`  ${pct(r.ms)} ${String(r.ms).padStart(8)} ms${perCall(r.ms)}  ${r.name}`);
  };
  section('self time by layer', s.selfByLayer);
  section('time with the layer anywhere on the stack', s.inclusiveByLayer);
  section('self time by module', s.selfByModule);
  section('self time by function', s.selfByFunction);
  section('time with the function on the stack (gateway and packages)', s.inclusiveByFunction);
  console.log('\nwho calls the top functions (nearest callers outside Node internals)');
  for (const f of s.callersOfTop) {
    console.log(`  ${pct(f.ms)} ${f.name}`);
    for (const c of f.callers) console.log(`          ${pct(c.ms)} of busy  < ${c.name}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const file = args.find((a) => a.endsWith('.cpuprofile'));
  if (!file) {
    console.error(
      'usage: node bench/profile-summary.mjs FILE.cpuprofile [--calls N] [--cpu-us-per-call N] [--top N] [--map BUNDLE=MAPFILE] [--json]',
    );
    process.exit(2);
  }
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const mapAt = args.indexOf('--map');
  // --map BUNDLE=MAPFILE: the source map the bundle had when the profile was taken.
  const mapFiles = {};
  if (mapAt >= 0) {
    const [bundle, mapFile] = args[mapAt + 1].split('=');
    mapFiles[path.resolve(bundle)] = path.resolve(mapFile);
  }
  const summary = summarize(JSON.parse(fs.readFileSync(file, 'utf8')), { top: opt('--top') ?? 25, mapFiles });
  if (args.includes('--json')) console.log(JSON.stringify(summary));
  else printSummary(summary, { calls: opt('--calls'), cpuUsPerCall: opt('--cpu-us-per-call') });
}
