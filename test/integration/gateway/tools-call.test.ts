// A tools/call through the gateway's own session layer (rpc/peer.ts, app/call-router.ts) answers exactly as the SDK's
// Server would: results, JSON-RPC errors, invalid requests, and a cancellation that ends the call upstream and leaves
// it unanswered.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { connectClient, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';
import { everythingStdio } from '../../helpers/upstreams.js';

describe("tools/call through the gateway's session layer", () => {
  let home: TestHome;
  let gateway: Gateway;
  let client: Client;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() } });
    let runtime;
    ({ gateway, runtime } = await startGateway(home, ['ev']));
    client = await connectClient(runtime.mcpUrl, home.tokens.test!);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    home?.cleanup();
  });

  async function rpcError(promise: Promise<unknown>): Promise<McpError> {
    try {
      await promise;
    } catch (err) {
      expect(err).toBeInstanceOf(McpError);
      return err as McpError;
    }
    throw new Error('expected a JSON-RPC error');
  }

  it('answers a call with the upstream result, and errors in their own words', async () => {
    const result = await client.callTool({ name: 'ev__echo', arguments: { message: 'direct' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: direct' }]);
    const unknown = await rpcError(client.callTool({ name: 'ev__nope', arguments: {} }));
    expect(unknown.code).toBe(-32602);
    expect(unknown.message).toBe('MCP error -32602: Unknown tool: ev__nope'); // the SDK client adds its prefix once
  });

  it('passes results beyond plain text (an image, structured content) exactly as the upstream gives them', async () => {
    // The image goes through the schema, the structured content (beside text blocks) is taken by hand
    // (electron/gateway/rpc/message-shapes.ts): both must arrive unchanged.
    const direct = new Client({ name: 'direct', version: '1' });
    await direct.connect(new StdioClientTransport({ ...everythingStdio(), stderr: 'ignore' }));
    try {
      for (const [tool, args] of [
        ['get-tiny-image', {}],
        ['get-structured-content', { location: 'New York' }],
      ] as const) {
        const expected = await direct.callTool({ name: tool, arguments: args });
        const through = await client.callTool({ name: `ev__${tool}`, arguments: args });
        expect(
          (expected.content as unknown[]).some((b) => (b as { type: string }).type !== 'text') ||
            expected.structuredContent !== undefined,
        ).toBe(true);
        expect(through).toEqual(expected);
      }
    } finally {
      await direct.close();
    }
  });

  it('refuses an invalid tools/call as invalid params, saying what is wrong', async () => {
    const invalid = await rpcError(
      client.request({ method: 'tools/call', params: { arguments: {} } } as never, z.looseObject({})),
    );
    expect(invalid.code).toBe(-32602);
    expect(invalid.message).toMatch(/^MCP error -32602: Invalid params for tools\/call: .*→ at params\.name/);
  });

  it('ends a cancelled call upstream at once and never answers it', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const call = client.request(
      {
        method: 'tools/call',
        params: { name: 'ev__trigger-long-running-operation', arguments: { duration: 20, steps: 2 } },
      },
      CallToolResultSchema,
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort('stop'), 500);
    await expect(call).rejects.toThrow('stop');
    let record: { status: string; durationMs?: number } | undefined;
    for (let i = 0; i < 100 && (record === undefined || record.status === 'pending'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      record = readAllRecords(path.join(home.home, 'logs')).records.find(
        (r) => r.tool === 'trigger-long-running-operation',
      );
    }
    expect(record?.status).toBe('error');
    expect(record?.durationMs).toBeLessThan(Date.now() - started);
    expect(record?.durationMs).toBeLessThan(10_000);
    // The session goes on serving.
    const after = await client.callTool({ name: 'ev__echo', arguments: { message: 'still here' } });
    expect(after.content).toEqual([{ type: 'text', text: 'Echo: still here' }]);
  }, 30_000);
});
