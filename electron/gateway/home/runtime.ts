// runtime.json: how clients (the bridge, the CLI) find the running gateway. Written once the port listens, mode 0600.
import fs from 'node:fs';
import { z } from 'zod';
import { parseJsonFile, readTextIfExists, writeFileAtomic } from './files.js';

export const RuntimeInfo = z.object({
  pid: z.number().int(),
  port: z.number().int(),
  mcpUrl: z.string(),
  controlUrl: z.string(),
  dashboardUrl: z.string(),
  adminToken: z.string(),
});
export type RuntimeInfo = z.infer<typeof RuntimeInfo>;

export function runtimeInfoFor(port: number, adminToken: string): RuntimeInfo {
  const base = `http://127.0.0.1:${port}`;
  return {
    pid: process.pid,
    port,
    mcpUrl: `${base}/mcp`,
    controlUrl: `${base}/api`,
    dashboardUrl: `${base}/`,
    adminToken,
  };
}

export function writeRuntime(file: string, info: RuntimeInfo): void {
  writeFileAtomic(file, `${JSON.stringify(info, null, 2)}\n`, 0o600);
}

export function readRuntime(file: string): RuntimeInfo | undefined {
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  const parsed = RuntimeInfo.safeParse(parseJsonFile(file, text));
  return parsed.success ? parsed.data : undefined;
}

export function removeRuntime(file: string): void {
  fs.rmSync(file, { force: true });
}
