// Requests sent beside the SDK client on the same transport: answers to ours are taken, everything else reaches the
// client (through deliverInOrder, as in production); cancellation, timeout and close behave as the SDK's do.
import { describe, expect, it } from 'vitest';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DirectRequests } from '../../../electron/gateway/upstream/direct-requests.js';
import { deliverInOrder } from '../../../electron/gateway/upstream/in-order.js';

class FakeTransport implements Transport {
  sent: JSONRPCMessage[] = [];
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  async start() {}
  async close() {
    this.onclose?.();
  }
  async send(message: JSONRPCMessage) {
    this.sent.push(message);
  }
  /** What the upstream says: delivered as the stdio transport delivers it. */
  receive(message: JSONRPCMessage) {
    this.onmessage?.(message);
  }
}

function setup() {
  const raw = new FakeTransport();
  const transport = deliverInOrder(raw);
  const direct = new DirectRequests(transport);
  const toClient: JSONRPCMessage[] = [];
  let clientClosed = false;
  // The SDK client sets its handlers after the layer is in place (connect), as in production.
  transport.onmessage = (m) => toClient.push(m);
  transport.onclose = () => (clientClosed = true);
  const tick = () => new Promise((r) => setImmediate(r));
  return { raw, direct, toClient, closed: () => clientClosed, tick };
}

describe('DirectRequests', () => {
  it('takes the answer to its own request and passes everything else to the client', async () => {
    const { raw, direct, toClient, tick } = setup();
    const answer = direct.request('tools/call', { name: 'echo' }, { timeoutMs: 5000 });
    const sent = raw.sent[0] as { id: string; method: string };
    expect(sent).toMatchObject({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo' } });
    expect(sent.id).toMatch(/^gatehouse-\d+$/);
    raw.receive({ jsonrpc: '2.0', id: 7, result: { tools: [] } }); // the client's own request
    raw.receive({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
    raw.receive({ jsonrpc: '2.0', id: sent.id, result: { content: [] } });
    await expect(answer).resolves.toEqual({ content: [] });
    await tick();
    expect(toClient.map((m) => ('id' in m ? m.id : (m as { method: string }).method))).toEqual([
      7,
      'notifications/message',
    ]);
  });

  it("rejects with the upstream's JSON-RPC error as an McpError", async () => {
    const { raw, direct } = setup();
    const answer = direct.request('tools/call', {}, { timeoutMs: 5000 });
    const id = (raw.sent[0] as { id: string }).id;
    raw.receive({ jsonrpc: '2.0', id, error: { code: -32602, message: 'Unknown tool: x' } });
    await expect(answer).rejects.toMatchObject({
      code: -32602,
      message: 'MCP error -32602: Unknown tool: x',
    });
  });

  it('sends notifications/cancelled when aborted, and a late answer goes nowhere', async () => {
    const { raw, direct, toClient, tick } = setup();
    const controller = new AbortController();
    const answer = direct.request('tools/call', {}, { signal: controller.signal, timeoutMs: 5000 });
    const id = (raw.sent[0] as { id: string }).id;
    controller.abort(new Error('the user pressed stop'));
    await expect(answer).rejects.toThrow('the user pressed stop');
    expect(raw.sent[1]).toMatchObject({ method: 'notifications/cancelled', params: { requestId: id } });
    raw.receive({ jsonrpc: '2.0', id, result: {} });
    await tick();
    expect(toClient).toHaveLength(1); // unknown to us now: the client sees it (and ignores it), as before
  });

  it('times out as the SDK does, and cancels upstream', async () => {
    const { raw, direct } = setup();
    const answer = direct.request('tools/call', {}, { timeoutMs: 20 });
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.RequestTimeout });
    expect(raw.sent[1]).toMatchObject({ method: 'notifications/cancelled' });
  });

  it('rejects what is in flight when the connection closes, and the client still hears the close', async () => {
    const { raw, direct, closed, tick } = setup();
    const answer = direct.request('tools/call', {}, { timeoutMs: 5000 });
    await raw.close();
    const err = await answer.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.ConnectionClosed);
    await tick();
    expect(closed()).toBe(true);
  });
});
