// A small client of the control API for the CLI: finds the running gateway through runtime.json.
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

export async function callControl<T>(
  runtime: RuntimeInfo,
  method: string,
  route: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${runtime.controlUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${runtime.adminToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const payload = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`the gateway answered ${res.status}: ${payload.error ?? 'no reason given'}`);
  return payload;
}
