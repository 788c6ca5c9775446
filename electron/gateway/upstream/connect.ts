// Opens one MCP client connection to an upstream: a child over stdio, or a URL over Streamable HTTP with an
// SSE fallback. Failures become errors whose message says what to fix.
import fs from 'node:fs';
import { SSEClientTransport, SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  isStdioServer,
  type HttpServerConfig,
  type ServerConfig,
  type StdioServerConfig,
  type UpstreamStatus,
} from '../../../shared/servers.js';
import { childEnvironment } from './env.js';
import { errorText } from '../rpc/error-text.js';
import { ChildStdioTransport } from './stdio-transport.js';
import type { UpstreamClient } from './client.js';

export type TransportKind = UpstreamStatus['transport'];

export interface Connection {
  client: UpstreamClient;
  kind: TransportKind;
  pid: number | undefined;
  /** How the connection ended, in words that follow "upstream X …" ("exited (code 1)"). */
  endedHow(): string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  name: string;
  config: ServerConfig;
  newClient: (transport: Transport) => UpstreamClient;
  timeoutMs: number;
  onStderr: (text: string) => void;
  lastStderrLine: () => string | undefined;
  /** Each transport as soon as it exists, so a stop during the handshake can still end it. */
  track: (transport: Transport) => void;
  onSpawn: (pid: number) => void;
  onGroupGone: (pid: number) => void;
  diagnostics: (line: string) => void;
}

export function transportKind(config: ServerConfig): TransportKind {
  if (isStdioServer(config)) return 'stdio';
  return config.type === 'sse' ? 'sse' : 'streamable-http';
}

export function connectUpstream(options: ConnectOptions): Promise<Connection> {
  return isStdioServer(options.config)
    ? connectStdio(options, options.config)
    : connectHttp(options, options.config);
}

function describeExit(transport: ChildStdioTransport): string {
  const exit = transport.exit;
  if (exit?.signal) return `was killed by ${exit.signal}`;
  if (exit && exit.code !== null) return `exited (code ${exit.code})`;
  return 'closed its connection';
}

async function connectStdio(options: ConnectOptions, config: StdioServerConfig): Promise<Connection> {
  if (config.cwd !== undefined && !isDirectory(config.cwd)) {
    throw new Error(`its working directory "${config.cwd}" does not exist (check "cwd" in servers.json)`);
  }
  const { env, dropped } = childEnvironment(config.env);
  if (dropped.length > 0) {
    options.diagnostics(
      `upstream "${options.name}": not passing ${dropped.join(', ')} (GATEHOUSE_* stays with Gatehouse)`,
    );
  }
  const transport = new ChildStdioTransport({
    command: config.command,
    args: config.args ?? [],
    env,
    ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
    onStderr: options.onStderr,
    onSpawn: options.onSpawn,
    onGroupGone: options.onGroupGone,
  });
  options.track(transport);
  const client = options.newClient(transport);
  try {
    await client.connect(options.timeoutMs);
  } catch (err) {
    throw new Error(stdioStartFailure(err, config.command, transport, options), { cause: err });
  }
  return {
    client,
    kind: 'stdio',
    pid: transport.pid,
    endedHow: () => describeExit(transport),
    close: () => client.close(),
  };
}

function stdioStartFailure(
  err: unknown,
  command: string,
  transport: ChildStdioTransport,
  options: ConnectOptions,
): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return `command "${command}" was not found (check "command" in servers.json and the PATH)`;
  if (code === 'EACCES') return `command "${command}" could not be run: permission denied`;
  const stderr = options.lastStderrLine();
  const said = stderr ? `; its last words: ${stderr}` : '';
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
    return `${describeExit(transport)} during startup${said}`;
  }
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return `did not answer "initialize" within ${Math.round(options.timeoutMs / 1000)} s${said}`;
  }
  return `${errorText(err)}${said}`;
}

async function connectHttp(options: ConnectOptions, config: HttpServerConfig): Promise<Connection> {
  const url = new URL(config.url);
  const requestInit: RequestInit = { headers: { ...(config.headers ?? {}) } };
  if (config.type !== 'sse') {
    const transport = new StreamableHTTPClientTransport(url, { requestInit });
    options.track(transport);
    const client = options.newClient(transport);
    try {
      await client.connect(options.timeoutMs);
      return httpConnection(client, 'streamable-http', transport);
    } catch (err) {
      // The SDK's documented pattern: a 4xx to the Streamable HTTP POST means an older, SSE-only server.
      const status = err instanceof StreamableHTTPError ? err.code : undefined;
      if (status === undefined || status < 400 || status >= 500) {
        throw new Error(httpFailure(err, config.url), { cause: err });
      }
      options.diagnostics(
        `upstream "${options.name}": Streamable HTTP answered ${status}; trying the older SSE transport`,
      );
    }
  }
  const transport = new SSEClientTransport(url, { requestInit });
  options.track(transport);
  const client = options.newClient(transport);
  try {
    await client.connect(options.timeoutMs);
  } catch (err) {
    throw new Error(httpFailure(err, config.url), { cause: err });
  }
  return httpConnection(client, 'sse', transport);
}

function httpConnection(
  client: UpstreamClient,
  kind: TransportKind,
  transport: StreamableHTTPClientTransport | SSEClientTransport,
): Connection {
  return {
    client,
    kind,
    pid: undefined,
    endedHow: () => 'closed the connection',
    close: async () => {
      // Ends the server-side session (DELETE) when the server supports it; never waits long for that.
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
        const ended = transport.terminateSession().catch(() => undefined);
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 500))]);
      }
      await client.close();
    },
  };
}

function httpFailure(err: unknown, url: string): string {
  const where = safeUrl(url);
  if (err instanceof StreamableHTTPError || err instanceof SseError) {
    return `${where} answered HTTP ${err.code}: ${err.message}`;
  }
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return `${where} did not answer "initialize" in time`;
  }
  return `could not reach ${where}: ${errorText(err)}`;
}

/** The URL without credentials, query or fragment: those may hold secrets. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'the URL';
  }
}

/**
 * Whether a failed HTTP request means the server is gone (fetch could not connect) or no longer knows the
 * session (404) — either way a new connection is needed. Other failures belong to the one request.
 */
export function meansConnectionLost(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof StreamableHTTPError && err.code === 404);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
