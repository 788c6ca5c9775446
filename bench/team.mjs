// The bench's `team` section: what team mode's shared counters cost a call. Two gateways under the bench policy (its
// echo has a global and a grant limit that never trigger): one counts them itself, the other on a redis-server (the
// OS package, started here on a free loopback port without persistence, stopped after) — one atomic script per call.
// Measured in interleaved rounds like the main targets: sequential p50 and calls/s with 16 in flight.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { latency, roundOrder, summarize, throughput, turn } from './measure.mjs';
import { startGatehouse } from './targets.mjs';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const version = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error(`redis-server not found at ${REDIS_SERVER} (apt-get install redis-server)`);
  }
  const started = Date.now();
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('error', () => resolve(false));
      socket.once('connect', () => (socket.destroy(), resolve(true)));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server did not listen on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    version: /v=(\S+)/.exec(version.stdout)?.[1],
    pid: child.pid,
    startMs: Date.now() - started,
    stop,
  };
}

/**
 * Runs the section with run.mjs's `start(name, fn)`, which records a process that fails to start as skipped and stops
 * every one it started at the end of the run, whatever happens. Returns the figures, or undefined when not measured.
 */
export async function runTeam({ quick, start, skipped }) {
  const plan = quick
    ? { rounds: 1, latencyCalls: 25, throughputCalls: 64, warmupCalls: 5 }
    : { rounds: 10, latencyCalls: 250, throughputCalls: 500, warmupCalls: 200 };
  const redis = await start('team: redis-server', startRedis);
  if (!redis) return undefined;
  try {
    const local = await start('team: local counters', () => startGatehouse({ name: 'team: local counters' }));
    const shared = await start('team: shared on redis', () =>
      startGatehouse({
        name: 'team: shared on redis',
        seed: (home) =>
          fs.writeFileSync(
            path.join(home, 'settings.json'),
            JSON.stringify({ counters: { redis: redis.url, team: 'bench' } }),
          ),
      }),
    );
    if (!local || !shared) return undefined;
    const targets = [local, shared];
    const samples = new Map(targets.map((t) => [t, { latency: [], calls: 0, seconds: 0, cpuMs: 0 }]));
    for (const t of targets) {
      await latency(t, plan.warmupCalls, []);
      await throughput(t, plan.warmupCalls);
    }
    for (let round = 0; round < plan.rounds; round++) {
      for (const t of roundOrder(targets, round)) await turn(t, samples.get(t), plan);
    }
    const figures = (t) => {
      const s = samples.get(t);
      const out = summarize(s.latency, s.calls, s.seconds);
      return { ...out, cpuUsPerCall: Math.round((s.cpuMs * 1000) / (s.latency.length + s.calls)) };
    };
    const result = { redis: redis.version, local: figures(local), shared: figures(shared) };
    result.sharedP50OverheadUs = result.shared.p50Us - result.local.p50Us;
    console.log(
      `team: p50 ${result.local.p50Us} µs local / ${result.shared.p50Us} µs shared on Redis ${result.redis} ` +
        `(+${result.sharedP50OverheadUs} µs); ${result.local.callsPerSecond} / ${result.shared.callsPerSecond} calls/s`,
    );
    return result;
  } catch (err) {
    skipped.team = err.message;
    console.log(`team: failed (${err.message})`);
    return undefined;
  }
}
