// The environment an upstream child gets: a safe base from the SDK plus the server's own `env`, never GATEHOUSE_*.
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

const GATEHOUSE_VARIABLE = /^GATEHOUSE_/i;

export interface ChildEnvironment {
  env: Record<string, string>;
  /** Names from the server's own `env` that were dropped because Gatehouse keeps them to itself. */
  dropped: string[];
}

export function childEnvironment(serverEnv: Record<string, string> | undefined): ChildEnvironment {
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(getDefaultEnvironment())) {
    if (!GATEHOUSE_VARIABLE.test(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(serverEnv ?? {})) {
    if (GATEHOUSE_VARIABLE.test(name)) dropped.push(name);
    else env[name] = value;
  }
  return { env, dropped };
}
