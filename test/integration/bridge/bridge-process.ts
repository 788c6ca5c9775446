// Test helper: `gatehouse bridge` spawned as Claude Desktop spawns it (stdio), with an SDK client on its stdin/stdout.
import type { ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CallToolResultSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { CLI } from '../../helpers/gateway-fixture.js';

export interface BridgeClient {
  client: Client;
  transport: StdioClientTransport;
  /** The bridge process (the SDK keeps it private; the tests need its exit). */
  process: ChildProcess;
  stderr: () => string;
  /** How many notifications/tools/list_changed the client received. */
  listChanged: () => number;
  /** Errors of the client's transport: a line on stdout that is not an MCP message would show here. */
  transportErrors: Error[];
  /** Every message read from the bridge's stdout, in order. */
  received: JSONRPCMessage[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  toolNames(): Promise<string[]>;
}

export async function spawnBridge(
  home: string,
  extraArgs: string[] = [],
  grant = 'claude',
): Promise<BridgeClient> {
  return connectStdio(process.execPath, [CLI, 'bridge', '--grant', grant, '--home', home, ...extraArgs]);
}

export async function connectStdio(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<BridgeClient> {
  const transport = new StdioClientTransport({ command, args, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'claude-desktop-like', version: '1.0.0' });
  let listChanged = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    listChanged++;
  });
  const transportErrors: Error[] = [];
  await client.connect(transport);
  // After connect, so that the SDK's own error handler is in place first and this one records what it sees.
  const sdkOnError = transport.onerror;
  transport.onerror = (err) => {
    transportErrors.push(err);
    sdkOnError?.(err);
  };
  const received: JSONRPCMessage[] = [];
  const sdkOnMessage = transport.onmessage;
  transport.onmessage = (message) => {
    received.push(message);
    sdkOnMessage?.(message);
  };
  const child = (transport as unknown as { _process: ChildProcess })._process;
  return {
    client,
    transport,
    process: child,
    stderr: () => stderr,
    listChanged: () => listChanged,
    transportErrors,
    received,
    call: (name, args = {}) =>
      client.request(
        { method: 'tools/call', params: { name, arguments: args } },
        CallToolResultSchema,
      ) as Promise<CallToolResult>,
    toolNames: async () => (await client.listTools()).tools.map((t) => t.name),
  };
}

export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : JSON.stringify(result.content);
}

/** Polls `check` until it resolves true, or fails after `timeoutMs` naming `what`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
