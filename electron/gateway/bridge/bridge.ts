// `gatehouse bridge`: the stdio MCP server Claude Desktop launches (it launches only stdio servers). It answers at
// once, forwards to the running gateway as a grant, and outlives gateway restarts; it ends when stdin closes.
import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { GATEHOUSE_VERSION, SESSION_CAPABILITIES } from '../rpc/server-info.js';
import { homePaths } from '../home/paths.js';
import { errorText } from '../rpc/error-text.js';
import { GatewayLink } from './gateway-link.js';
import { registerHandlers } from './handlers.js';

export interface BridgeOptions {
  home: string;
  grant: string;
  /** Expose only this server's tools, under their original names. */
  server?: string;
  /** Default: process.stdin / process.stdout (and then SIGINT/SIGTERM end the bridge as a closed stdin does). */
  input?: Readable;
  output?: Writable;
  /** Diagnostics, one line per state change. Default: stderr — stdout carries MCP messages only. */
  log?: (line: string) => void;
  /** Ends the bridge as a closed stdin does. */
  signal?: AbortSignal;
}

/** Runs until stdin closes (or `signal` aborts), then ends the gateway session; resolves once all is closed. */
export async function runBridge(options: BridgeOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const log = options.log ?? ((line: string) => void process.stderr.write(`gatehouse bridge: ${line}\n`));
  const server = new Server(
    { name: 'gatehouse', version: GATEHOUSE_VERSION },
    { capabilities: SESSION_CAPABILITIES },
  );
  let initialized = false;

  const announce = async () => {
    if (!initialized) return;
    await Promise.all([
      server.sendToolListChanged(),
      server.sendResourceListChanged(),
      server.sendPromptListChanged(),
    ]).catch((err: unknown) => log(`cannot tell the client that the lists changed: ${errorText(err)}`));
  };

  const link = new GatewayLink({
    runtimeFile: homePaths(options.home).runtime,
    home: options.home,
    grant: options.grant,
    ...(options.server !== undefined ? { server: options.server } : {}),
    clientInfo: { name: 'gatehouse-bridge', version: GATEHOUSE_VERSION },
    capabilities: () => server.getClientCapabilities() ?? {},
    log,
    onUp: async () => {
      await announce();
    },
    onNotification: async (notification) => {
      if (initialized) await server.notification(notification);
    },
    onRequest: (request, signal) =>
      server.request(request, ResultSchema, { signal, timeout: 24 * 60 * 60 * 1000 }),
  });

  registerHandlers(server, { link, ...(options.server !== undefined ? { scope: options.server } : {}), log });
  server.oninitialized = () => {
    initialized = true;
    link.start();
  };
  const seen = new Set<string>();
  server.onerror = (err) => {
    // Once per distinct message: a misbehaving client must not flood stderr.
    if (seen.size < 50 && !seen.has(err.message)) {
      seen.add(err.message);
      log(`stdio: ${err.message}`);
    }
  };

  const ended = new Promise<string>((resolve) => {
    if (input.readableEnded || input.destroyed) resolve('stdin closed');
    input.once('end', () => resolve('stdin closed'));
    input.once('close', () => resolve('stdin closed'));
    output.once('error', (err: Error) => resolve(`stdout failed (${err.message})`));
    options.signal?.addEventListener('abort', () => resolve('asked to stop'), { once: true });
    // The stdio transport gives up on a stream it cannot parse; then no 'end' would ever come.
    server.onclose = () => resolve('the client connection closed');
    if (options.input === undefined) {
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve(`${sig} received`));
    }
  });
  await server.connect(new StdioServerTransport(input, output));
  const why = await ended;
  log(`${why}: ending`);
  await link.close();
  await server.close().catch(() => undefined);
}
