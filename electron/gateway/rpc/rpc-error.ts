// JSON-RPC errors as clients should read them. The SDK's McpError puts "MCP error <code>: " into its message, and the
// SDK sends a thrown error's message as is — so a passed-through McpError would read "MCP error -32602: MCP error
// -32602: …" at the client. Errors leave the gateway with their code and their own words only.
import { McpError } from '@modelcontextprotocol/sdk/types.js';

export interface RpcError extends Error {
  code: number;
  data?: unknown;
}

export function rpcError(code: number, message: string, data?: unknown): RpcError {
  return Object.assign(new Error(message), { code, ...(data !== undefined ? { data } : {}) });
}

export function cleanRpcError(err: unknown): unknown {
  if (!(err instanceof McpError)) return err;
  return rpcError(err.code, err.message.replace(/^(MCP error -?\d+: )+/, ''), err.data);
}
