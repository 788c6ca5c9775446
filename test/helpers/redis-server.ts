// A real redis-server (the Debian package) on a free loopback port, for the tests of team mode's shared counters:
// started by the test, without persistence, and killed after. Missing, the test fails saying how to install it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  port: number;
  url: string;
  /** Kills it (SIGKILL) and waits for it to exit: a crash, not a shutdown. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (nothing is saved). */
  restart(): Promise<void>;
  /** Stops it answering while its connections stay open (SIGSTOP), and lets it go on (SIGCONT): a hung server. */
  freeze(): void;
  thaw(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function installed(): void {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `redis-server is needed by this test and was not found at ${REDIS_SERVER} (${probe.error?.message ?? probe.stderr}): install it with "apt-get install redis-server" (CI does, in .ci/run), or set REDIS_SERVER to its path`,
    );
  }
}

/** Resolves once the server answers PING on its port. */
async function answering(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('error', () => resolve(false));
      // Without a password PING answers PONG; with one, NOAUTH: either way the server is up.
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(/^(\+PONG|-NOAUTH)/.test(data.toString()));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}: ${output()}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** `password`: the server requires it (requirepass), and `url` carries it. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  installed();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    let output = '';
    const started = spawn(
      REDIS_SERVER,
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...(options.password ? ['--requirepass', options.password] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = started;
    await answering(port, started, () => output);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  await launch();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  const signal = (name: NodeJS.Signals) => () => void child?.kill(name);
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop,
    restart: launch,
    freeze: signal('SIGSTOP'),
    thaw: signal('SIGCONT'),
  };
}
