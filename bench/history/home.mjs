// The generated history, kept between runs: generated once per (calls a day, days, generator version) into a folder
// of os.tmpdir() — the version is a hash of the generator's sources and the chain's, so any change to what it writes
// makes a new one — and lent to each run as a fresh home whose logs/ are hard links to the kept day files. The kept
// files are made read-only: a gateway that appended to one would fail rather than change the cache.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { trackDir, untrackDir } from '../procs.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const DAY_MS = 86_400_000;

/** A hash of everything that decides the bytes of a history: the generator's files and the chain's. */
function generatorVersion() {
  const hash = crypto.createHash('sha256');
  const dir = path.join(root, 'bench/history');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => path.join(dir, f));
  for (const file of [...files, path.join(root, 'electron/gateway/log/chain.ts')]) {
    hash.update(file.slice(root.length)).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The kept history of `callsPerDay` × `days`, generated first when there is none:
 * `{ dir, manifest, reused, generateWallMs }`.
 */
export async function keptHistory({ callsPerDay, days }, log = console.log) {
  const version = generatorVersion();
  const name = `gatehouse-history-${version}-${callsPerDay}x${days}`;
  const dir = path.join(os.tmpdir(), name);
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    log(
      `history: reusing ${dir} (generated for ${manifest.plan.lastDay} and the ${days - 1} days before it)`,
    );
    return { dir, manifest, reused: true, generateWallMs: null };
  }
  removeOtherVersions(version);
  const partial = trackDir(`${dir}.partial-${process.pid}`);
  fs.rmSync(partial, { recursive: true, force: true });
  log(`history: generating ${(callsPerDay * days).toLocaleString('en-US')} calls into ${dir}…`);
  const started = performance.now();
  try {
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'bench/history/generate.ts'),
        '--out',
        partial,
        '--calls-per-day',
        String(callsPerDay),
        '--days',
        String(days),
      ],
      { cwd: root, maxBuffer: 16 << 20, timeout: 15 * 60_000 },
    );
    for (const file of fs.readdirSync(path.join(partial, 'logs'))) {
      fs.chmodSync(path.join(partial, 'logs', file), 0o400);
    }
    fs.renameSync(partial, dir);
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
    untrackDir(partial);
  }
  const generateWallMs = Math.round(performance.now() - started);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  log(
    `history: ${manifest.calls.toLocaleString('en-US')} calls, ${manifest.lines.toLocaleString('en-US')} lines, ` +
      `${(manifest.bytes / 2 ** 30).toFixed(2)} GiB generated in ${(generateWallMs / 1000).toFixed(1)} s ` +
      `(${(manifest.generateMs / 1000).toFixed(1)} s in the generator)`,
  );
  return { dir, manifest, reused: false, generateWallMs };
}

/** A kept history's folder name: `gatehouse-history-<version>-<calls a day>x<days>`. */
const KEPT = /^gatehouse-history-([0-9a-f]{12})-\d+x\d+$/;

/**
 * Kept histories of another generator version: each is gigabytes. Only finished ones (never a run's home, which a
 * running bench uses, nor a folder still being generated).
 */
function removeOtherVersions(version) {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const kept = KEPT.exec(name);
    if (kept && kept[1] !== version)
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

/**
 * A fresh home for one run over the kept history `dir`: its policy and servers, logs/ as hard links to the kept day
 * files, and a retention long enough that the gateway keeps every day of it. Removed by `remove()`.
 */
export function lendHome(dir, manifest, now = Date.now()) {
  const home = trackDir(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-history-run-')));
  for (const file of ['policy.json', 'servers.json'])
    fs.copyFileSync(path.join(dir, file), path.join(home, file));
  const firstDay = Date.parse(`${manifest.days[0].day}T00:00:00Z`);
  const retention = Math.max(30, Math.ceil((now - firstDay) / DAY_MS) + 1);
  fs.writeFileSync(path.join(home, 'settings.json'), `${JSON.stringify({ logRetentionDays: retention })}\n`);
  fs.mkdirSync(path.join(home, 'logs'), { mode: 0o700 });
  for (const file of fs.readdirSync(path.join(dir, 'logs'))) {
    fs.linkSync(path.join(dir, 'logs', file), path.join(home, 'logs', file));
  }
  return {
    home,
    retention,
    remove: () => {
      fs.rmSync(home, { recursive: true, force: true });
      untrackDir(home);
    },
  };
}
