// `gatehouse serve` on a history home, and what a script uses to reach it: the control API with the admin token of
// runtime.json (DESIGN.md §7), and the CLI's own commands run as a user runs them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertLoopbackOnly } from '../loopback.mjs';
import { stopTree } from '../procs.mjs';
import { root, spawnServe } from '../targets.mjs';

/** This build's CLI; a kept build's (bench/builds/NAME/bin/gatehouse.js) measures that build instead. */
const CLI = path.join(root, 'bin/gatehouse.js');

/** A running gateway on `home`: `{ pid, readyMs, dashboardUrl, get(pathAndQuery), stop() }`. */
export async function serveHistory(home, cli = CLI) {
  const { child, readyLine, readyMs } = await spawnServe([cli, 'serve', '--home', home, '--port', '0']);
  const runtime = JSON.parse(fs.readFileSync(path.join(home, 'runtime.json'), 'utf8'));
  assertLoopbackOnly(runtime.port, 'gatehouse serve');
  const headers = { Authorization: `Bearer ${runtime.adminToken}` };
  return {
    pid: child.pid,
    readyMs,
    dashboardUrl: /dashboard=(\S+)/.exec(readyLine)?.[1],
    /** GET `${controlUrl}${pathAndQuery}`, its JSON body read whole. */
    get: async (pathAndQuery, timeoutMs = 300_000) => {
      const res = await fetch(`${runtime.controlUrl}${pathAndQuery}`, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.json();
      if (!res.ok)
        throw new Error(`GET ${pathAndQuery}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return body;
    },
    stop: () => stopTree(child.pid, 5000),
  };
}

/** `gatehouse ARGS --home HOME`, as a user runs it: `{ ms, code, stdout, stderr }` (a failure is a result too). */
export async function runCli(home, args, { cli = CLI, timeoutMs = 300_000 } = {}) {
  const started = performance.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args, '--home', home], {
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
    });
    return { ms: performance.now() - started, code: 0, stdout, stderr };
  } catch (err) {
    return {
      ms: performance.now() - started,
      code: err.code ?? 1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    };
  }
}
