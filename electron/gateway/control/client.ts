// The CLI's way to the running gateway: finds it through runtime.json and speaks to it with the one client of the
// contract (shared/api/client.ts), the dashboard's too.
import { createClient } from '../../../shared/api/client.js';
import { ApiRequestError, type GatehouseApi } from '../../../shared/api/operations.js';
import type { HomePaths } from '../home/paths.js';
import { readRuntime, type RuntimeInfo } from '../home/runtime.js';

export class NoGatewayError extends Error {
  constructor(home: string) {
    super(`no gateway is running on ${home}: start one with "gatehouse serve" (or the Gatehouse app)`);
  }
}

/** The running gateway of this home, or undefined when none answers. */
export async function findGateway(paths: HomePaths): Promise<RuntimeInfo | undefined> {
  const runtime = readRuntime(paths.runtime);
  if (!runtime) return undefined;
  try {
    process.kill(runtime.pid, 0);
  } catch {
    return undefined;
  }
  return runtime;
}

/** The control API of a running gateway, as its admin. */
export function gatewayClient(runtime: RuntimeInfo): GatehouseApi {
  return createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
}

/** What the CLI prints for an error: a failed control request as `the gateway answered <status>: <error>`. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiRequestError)) return (err as Error).message;
  // Status 0: no answer at all. An answer outside the contract names its status already ("the gateway answered 502
  // Bad Gateway").
  if (err.status === 0 || err.message.startsWith('the gateway answered')) return err.message;
  return `the gateway answered ${err.status}: ${err.message}`;
}
