import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { cleanRpcError } from '../../../electron/gateway/rpc/rpc-error.js';

describe('clean JSON-RPC errors', () => {
  it('keeps the code and data and drops the SDK prefix, however often it was added', () => {
    const inner = new McpError(-32602, 'Unknown tool: x', { hint: 1 });
    expect(cleanRpcError(inner)).toMatchObject({
      code: -32602,
      message: 'Unknown tool: x',
      data: { hint: 1 },
    });
    const twice = new McpError(-32602, inner.message);
    expect(cleanRpcError(twice)).toMatchObject({ code: -32602, message: 'Unknown tool: x' });
    const plain = new Error('other');
    expect(cleanRpcError(plain)).toBe(plain);
  });
});
