// servers.json: the upstream MCP servers, in Claude Desktop's shape plus Gatehouse's own keys (DESIGN.md §2).
import { z } from 'zod';

export const SERVER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

const ServerName = z
  .string()
  .regex(
    SERVER_NAME_PATTERN,
    'server names are 1–32 characters: lowercase letters, digits and "-", not starting with "-"',
  );

const gatehouseKeys = {
  /** Prefix of the exposed names; default `<server>__`; "" exposes the original names. */
  toolPrefix: z.string().optional(),
  disabled: z.boolean().optional(),
  /**
   * One upstream instance per client session (its own process or connection), so that state, subscriptions and the
   * server's own requests never cross between clients. Default: one instance shared by every session.
   */
  sessionUpstreams: z.boolean().optional(),
  /** Folders (or file:// URIs) this server is told about when it asks for roots; the clients' own roots never pass. */
  roots: z.array(z.string()).optional(),
};

export const StdioServerConfig = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    ...gatehouseKeys,
  })
  .strict();
export type StdioServerConfig = z.infer<typeof StdioServerConfig>;

export const HttpServerConfig = z
  .object({
    url: z.url(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Claude Desktop writes `type` for remote servers; accepted and ignored otherwise. */
    type: z.enum(['http', 'streamable-http', 'sse']).optional(),
    ...gatehouseKeys,
  })
  .strict();
export type HttpServerConfig = z.infer<typeof HttpServerConfig>;

export const ServerConfig = z.union([StdioServerConfig, HttpServerConfig]);
export type ServerConfig = z.infer<typeof ServerConfig>;

export const ServersFile = z
  .object({
    mcpServers: z.record(ServerName, ServerConfig).default({}),
  })
  .passthrough();
export type ServersFile = z.infer<typeof ServersFile>;

export function isStdioServer(config: ServerConfig): config is StdioServerConfig {
  return 'command' in config;
}

export const UpstreamState = z.enum(['starting', 'ready', 'restarting', 'failed', 'disabled', 'stopped']);
export type UpstreamState = z.infer<typeof UpstreamState>;

export const UpstreamStatus = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'streamable-http', 'sse']),
  state: UpstreamState,
  /** Why it failed or is restarting, in plain words. */
  error: z.string().optional(),
  restarts: z.number().int(),
  toolCount: z.number().int(),
  /** Last lines of the child's stderr, secrets masked. */
  stderrTail: z.array(z.string()),
  pid: z.number().int().optional(),
});
export type UpstreamStatus = z.infer<typeof UpstreamStatus>;
