// The reference upstream for the conformance test: an MCP server with every tool, prompt, resource and utility that
// the pinned conformance suite's active server scenarios ask of a server (the suite's own reference server is not
// published). It is a test peer, so it is written with the SDK's McpServer and kept plain.
//
//   stdio:                      tsx test/conformance/reference-server.ts stdio
//   Streamable HTTP (loopback): tsx test/conformance/reference-server.ts http [--port N]
// In HTTP mode it prints `reference server listening on http://127.0.0.1:PORT/mcp` (LISTENING) on stderr, keeps
// one McpServer per session, and answers a Host that is not loopback with 403 (the SDK's DNS-rebinding guard).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Request, Response } from 'express';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  isInitializeRequest,
  SetLevelRequestSchema,
  type LoggingLevel,
} from '@modelcontextprotocol/sdk/types.js';
import { registerPrompts, registerResources } from './reference-content.js';
import { registerTools } from './reference-tools.js';

/** What HTTP mode prints on stderr, followed by its URL, once it listens. */
export const LISTENING = 'reference server listening on ';

function createReferenceServer(): McpServer {
  const server = new McpServer(
    { name: 'gatehouse-conformance-reference', version: '1.0.0' },
    { capabilities: { logging: {}, completions: {}, resources: { subscribe: true } } },
  );
  let level: LoggingLevel | undefined;
  // Replaces the SDK's own handler, which keeps the level where only its sendLoggingMessage can read it.
  server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    level = request.params.level;
    return {};
  });
  registerTools(server, () => level);
  registerPrompts(server);
  registerResources(server);
  return server;
}

function rpcError(res: Response, status: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

async function serveHttp(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const handle = async (req: Request, res: Response) => {
    const sessionId = req.header('mcp-session-id');
    let transport = sessionId ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId) return rpcError(res, 404, `Session not found: ${sessionId}`);
      if (req.method !== 'POST' || !isInitializeRequest(req.body))
        return rpcError(res, 400, 'Bad Request: no session; initialize first');
      const fresh = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, fresh),
      });
      fresh.onclose = () => {
        if (fresh.sessionId) sessions.delete(fresh.sessionId);
      };
      await createReferenceServer().connect(fresh);
      transport = fresh;
    }
    await transport.handleRequest(req, res, req.body);
  };
  app.all('/mcp', (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) rpcError(res, 500, `Internal error: ${(err as Error).message}`);
    });
  });

  const listener = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/mcp`;
  return {
    url,
    close: async () => {
      for (const t of sessions.values()) await t.close();
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const [mode, ...rest] = argv;
  if (mode === 'stdio') {
    await createReferenceServer().connect(new StdioServerTransport());
    return;
  }
  if (mode === 'http') {
    const at = rest.indexOf('--port');
    const port = at >= 0 ? Number(rest[at + 1]) : 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port: not a port: ${rest[at + 1]}`);
    const { url } = await serveHttp(port);
    process.stderr.write(`${LISTENING}${url}\n`);
    return;
  }
  throw new Error(`usage: reference-server (stdio | http [--port N]); got ${argv.join(' ') || 'nothing'}`);
}

// Run as a program, not when imported; realpath because Node names a module by its real path, argv by the given one.
if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`reference server: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
