// `npm start`: the tray app where Electron can run; otherwise one line saying why, then the headless gateway.
// `--retry-electron` (for this script, not for serve) tries again a download of Electron that failed before.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-find.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RETRY = '--retry-electron';
const args = process.argv.slice(2).filter((arg) => arg !== RETRY);

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

spawnSync(process.execPath, [path.join(root, 'scripts', 'build-node.mjs')], { stdio: 'inherit', cwd: root });
const electron = findElectron({
  electronDir: path.join(root, 'node_modules', 'electron'),
  markerFile: path.join(root, 'node_modules', '.cache', 'gatehouse', 'electron-download-failed'),
  retry: process.argv.includes(RETRY),
});
if (electron.bin) {
  run(electron.bin, ['.', ...args]);
} else {
  process.stdout.write(`Electron is not available (${electron.why}): running the headless gateway\n`);
  run(process.execPath, [path.join(root, 'bin', 'gatehouse.js'), 'serve', ...args]);
}
