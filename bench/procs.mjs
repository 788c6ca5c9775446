// Child processes of the bench: spawned in their own process group, found again with their descendants, and
// always stopped (SIGTERM, then SIGKILL) — the bench never leaves a server behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A free TCP port on the loopback interface (the kernel's pick, released at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/** Every live descendant of `pid` (from /proc), children before grandchildren. */
export function descendants(pid) {
  const parentOf = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // The process ended between readdir and read: nothing to stop.
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 1000) {
    const parent = queue.shift();
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops a process and every descendant it had: SIGTERM to the process first (a gateway stops its own upstreams and
 * writes its CPU profile), SIGTERM to whatever of the tree is left after `graceMs`, SIGKILL a second later.
 */
export async function stopTree(pid, graceMs = 3000) {
  if (!pid) return;
  const tree = [pid, ...descendants(pid)];
  const signal = (targets, sig) => {
    for (const p of targets) {
      try {
        process.kill(p, sig);
      } catch {
        // Already gone.
      }
    }
  };
  const waitGone = async (targets, ms) => {
    const until = Date.now() + ms;
    while (Date.now() < until && targets.some(alive)) await sleep(25);
  };
  signal([pid], 'SIGTERM');
  await waitGone([pid], graceMs);
  await waitGone(tree, 500);
  signal(tree.filter(alive), 'SIGTERM');
  await waitGone(tree, 1000);
  signal(tree.filter(alive), 'SIGKILL');
  await waitGone(tree, 2000);
  spawned.delete(pid);
}

/** CPU time (user + system, ms) the process has used so far; NaN once it is gone. */
export function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted from the state field (3): indexes 11 and 12 here.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

// Every process the bench spawns, until it is stopped. Should the bench itself die (an exception, a closed
// stdout), the 'exit' hook still signals each of them and their descendants: detached children would outlive it.
const spawned = new Set();
const tempDirs = new Set();
let exitHookInstalled = false;

/** A temporary folder of the bench: removed by its owner, or at the latest when the bench exits. */
export function trackDir(dir) {
  tempDirs.add(dir);
  installExitHook();
  return dir;
}

export function untrackDir(dir) {
  tempDirs.delete(dir);
}

export function track(pid) {
  if (!pid) return;
  spawned.add(pid);
  installExitHook();
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const leader of spawned) {
      for (const p of [leader, ...descendants(leader)]) {
        try {
          process.kill(p, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
    }
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const event of ['uncaughtException', 'unhandledRejection']) {
    process.on(event, (err) => {
      process.stderr.write(`bench: ${err?.stack ?? err}\n`);
      process.exit(1);
    });
  }
  process.stdout.on('error', () => process.exit(1)); // a closed pipe (| head): stop, and let the hook clean up
}

/** A tracked child: its output is kept (the last 4 kB) to say why it failed. */
export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  track(child.pid);
  let tail = '';
  const keep = (d) => {
    tail = (tail + d).slice(-4096);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));
  child.tail = () => tail.trim().split('\n').slice(-5).join(' | ');
  return child;
}

/** Resolves `fn()`'s first success, retrying every `everyMs` until `timeoutMs`; rejects early if `dead()` says so. */
export async function retryUntil(fn, { timeoutMs, everyMs = 100, dead = () => undefined }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt++) {
    const why = dead();
    if (why) throw new Error(why);
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`not ready after ${timeoutMs} ms${last ? ` (${last.message})` : ''}`);
}
