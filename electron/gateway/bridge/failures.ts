// How a request to the gateway failed, in the terms the bridge acts on: the gateway answered with a JSON-RPC error
// (pass it on), the request never reached a live session (safe to send again), or the connection broke mid-way.
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { errorText } from '../rpc/error-text.js';

export type Failure =
  | { kind: 'answered'; error: McpError }
  | { kind: 'not-delivered'; reason: string }
  | { kind: 'broken'; reason: string };

function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EADDRNOTAVAIL', 'ECONNABORTED']);

export function classifyFailure(err: unknown): Failure {
  if (err instanceof McpError) {
    // These two are raised by the bridge's own SDK client (the connection closed, or no answer in time).
    if (err.code === ErrorCode.ConnectionClosed || err.code === ErrorCode.RequestTimeout)
      return { kind: 'broken', reason: errorText(err) };
    return { kind: 'answered', error: err };
  }
  // An HTTP error status on the POST: the gateway did not run the request (404 = the session is gone, a restart).
  if (err instanceof StreamableHTTPError) return { kind: 'not-delivered', reason: errorText(err) };
  const code = causeCode(err);
  if (code && NEVER_SENT.has(code)) return { kind: 'not-delivered', reason: errorText(err) };
  return { kind: 'broken', reason: errorText(err) };
}

/**
 * The gateway's JSON-RPC error as the SDK's server side will send it on: same code, message and data. (An McpError
 * rethrown as it is would gain a second "MCP error <code>:" prefix.)
 */
export class PassedError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  static of(error: McpError): PassedError {
    return new PassedError(error.code, error.message.replace(/^MCP error -?\d+: /, ''), error.data);
  }
}
