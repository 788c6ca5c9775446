// `gatehouse serve`: start, print the ready line, and stop cleanly on SIGINT/SIGTERM within 2 s.
import type { Gateway } from './gateway.js';

function readyLine(mcpUrl: string, loginUrl: string): string {
  return `gatehouse ready mcp=${mcpUrl} dashboard=${loginUrl}`;
}

export async function serveUntilSignalled(gateway: Gateway): Promise<void> {
  let runtime;
  try {
    runtime = await gateway.start();
  } catch (err) {
    process.stderr.write(`gatehouse: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${readyLine(runtime.mcpUrl, gateway.newLoginUrl())}\n`);

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return; // a repeated signal is harmless: the first stop is already under way
    signalled = true;
    process.stderr.write(`gatehouse: ${signal} received, stopping\n`);
    const force = setTimeout(() => process.exit(0), 1900);
    force.unref();
    gateway.stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`gatehouse: error while stopping: ${err.message}\n`);
        process.exit(0);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
