// `gatehouse serve`: start, print the ready line, and stop cleanly on SIGINT/SIGTERM within 2 s.
import type { Gateway } from './gateway.js';

function readyLine(mcpUrl: string, loginUrl: string): string {
  return `gatehouse ready mcp=${mcpUrl} dashboard=${loginUrl}`;
}

export async function serveUntilSignalled(gateway: Gateway): Promise<void> {
  // The signal handlers come first: a signal sent the moment the ready line is read — or while the gateway is still
  // starting — stops it cleanly (runtime.json removed), never kills it half-way.
  const starting = gateway.start();
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return; // a repeated signal is harmless: the first stop is already under way
    signalled = true;
    process.stderr.write(`gatehouse: ${signal} received, stopping\n`);
    const force = setTimeout(() => process.exit(0), 1900);
    force.unref();
    starting
      .catch(() => undefined)
      .then(() => gateway.stop())
      .then(
        () => process.exit(0),
        (err: Error) => {
          process.stderr.write(`gatehouse: error while stopping: ${err.message}\n`);
          process.exit(0);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let runtime;
  try {
    runtime = await starting;
  } catch (err) {
    process.stderr.write(`gatehouse: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (signalled) return;
  process.stdout.write(`${readyLine(runtime.mcpUrl, gateway.newLoginUrl())}\n`);
}
