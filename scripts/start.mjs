// `npm start`: the tray app where Electron can run; otherwise one line saying why, then the headless gateway.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const electronDir = path.join(root, 'node_modules', 'electron');

/** Where the Electron binary is, or why it cannot run here. Never require('electron'): it would try to download. */
function findElectron() {
  if (!fs.existsSync(path.join(electronDir, 'package.json')))
    return { why: 'the electron package is not installed' };
  const locate = () => {
    try {
      const rel = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
      const bin = path.join(electronDir, 'dist', rel);
      return fs.existsSync(bin) ? bin : undefined;
    } catch {
      return undefined;
    }
  };
  let bin = locate();
  if (!bin) {
    // Electron 45 fetches its binary on first use; try once, briefly, and fall back if there is no way to download it.
    const fetched = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
      encoding: 'utf8',
    });
    bin = locate();
    if (!bin) {
      const detail = (fetched.stderr || '').split('\n').find((l) => /error|ENOTFOUND|fetch failed/i.test(l));
      return {
        why: `its binary is missing and could not be downloaded${detail ? `: ${detail.trim()}` : ''}`,
      };
    }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { why: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { bin };
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

spawnSync(process.execPath, [path.join(root, 'scripts', 'build-node.mjs')], { stdio: 'inherit', cwd: root });
const electron = findElectron();
if (electron.bin) {
  run(electron.bin, ['.', ...args]);
} else {
  process.stdout.write(`Electron is not available (${electron.why}): running the headless gateway\n`);
  run(process.execPath, [path.join(root, 'bin', 'gatehouse.js'), 'serve', ...args]);
}
