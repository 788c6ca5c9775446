// The gateway's JSON-RPC peer: answers matched to requests, progress and cancellation both ways, timeouts and close
// as the SDK's Protocol behaves, and incoming requests answered in order (or not at all once cancelled).
import { describe, expect, it } from 'vitest';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RpcPeer, type PeerHandlers } from '../../../electron/gateway/rpc/peer.js';
import { rpcError } from '../../../electron/gateway/rpc/rpc-error.js';

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
  receive(message: JSONRPCMessage) {
    this.onmessage?.(message);
  }
}

function setup(handlers: Partial<PeerHandlers> = {}) {
  const raw = new FakeTransport();
  const heard: JSONRPCMessage[] = [];
  const peer = new RpcPeer(raw, {
    request: handlers.request ?? (() => ({ ok: true })),
    notification: handlers.notification ?? ((m) => heard.push(m)),
  });
  const tick = () => new Promise((r) => setImmediate(r));
  return { raw, peer, heard, tick };
}

describe('RpcPeer', () => {
  it('matches an answer to its request and hands notifications on in order', async () => {
    const { raw, peer, heard } = setup();
    const answer = peer.request('tools/call', { name: 'echo' });
    const sent = raw.sent[0] as { id: number; method: string };
    expect(sent).toMatchObject({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo' } });
    raw.receive({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
    raw.receive({ jsonrpc: '2.0', id: sent.id, result: { content: [] } });
    await expect(answer).resolves.toEqual({ content: [] });
    expect(heard).toEqual([
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
    ]);
  });

  it("rejects with the other side's JSON-RPC error as an McpError", async () => {
    const { raw, peer } = setup();
    const answer = peer.request('tools/call', {});
    const id = (raw.sent[0] as { id: number }).id;
    raw.receive({ jsonrpc: '2.0', id, error: { code: -32602, message: 'Unknown tool: x' } });
    await expect(answer).rejects.toMatchObject({
      code: -32602,
      message: 'MCP error -32602: Unknown tool: x',
    });
  });

  it('relays progress before the answer, adding the token, and restarts the timeout on progress', async () => {
    const { raw, peer } = setup();
    const progress: number[] = [];
    const answer = peer.request(
      'tools/call',
      { name: 'slow', _meta: { x: 1 } },
      { onProgress: (p) => progress.push(p.progress), timeoutMs: 60, resetTimeoutOnProgress: true },
    );
    const sent = raw.sent[0] as { id: number; params: { _meta: Record<string, unknown> } };
    expect(sent.params._meta).toEqual({ x: 1, progressToken: sent.id });
    for (let i = 1; i <= 3; i++) {
      await new Promise((r) => setTimeout(r, 40));
      raw.receive({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: sent.id, progress: i },
      });
    }
    raw.receive({ jsonrpc: '2.0', id: sent.id, result: {} });
    await expect(answer).resolves.toEqual({});
    expect(progress).toEqual([1, 2, 3]);
  });

  it('sends notifications/cancelled when aborted, and a late answer is reported, not taken', async () => {
    const errors: string[] = [];
    const { raw, peer } = setup();
    peer.onerror = (e) => errors.push(e.message);
    const controller = new AbortController();
    const answer = peer.request('tools/call', {}, { signal: controller.signal });
    const id = (raw.sent[0] as { id: number }).id;
    controller.abort(new Error('the user pressed stop'));
    await expect(answer).rejects.toThrow('the user pressed stop');
    expect(raw.sent[1]).toMatchObject({ method: 'notifications/cancelled', params: { requestId: id } });
    raw.receive({ jsonrpc: '2.0', id, result: {} });
    expect(errors).toEqual([`an answer to an unknown request id: ${id}`]);
  });

  it('times out as the SDK does, and cancels on the other side', async () => {
    const { raw, peer } = setup();
    const answer = peer.request('tools/call', {}, { timeoutMs: 20 });
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.RequestTimeout });
    expect(raw.sent[1]).toMatchObject({ method: 'notifications/cancelled' });
  });

  it('rejects what is in flight when the connection closes, and says it closed', async () => {
    const { raw, peer } = setup();
    let closed = false;
    peer.onclose = () => (closed = true);
    const answer = peer.request('tools/call', {});
    await raw.close();
    const err = await answer.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.ConnectionClosed);
    expect(closed).toBe(true);
    await expect(peer.request('ping', {})).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
  });

  it("answers incoming requests with the handler's result or its error in its own words", async () => {
    const { raw, tick } = setup({
      request: (m) => {
        if (m.method === 'fail') throw rpcError(-32602, 'no such thing');
        if (m.method === 'boom') return Promise.reject(new McpError(-32603, 'inner'));
        return { echoed: m.params };
      },
    });
    raw.receive({ jsonrpc: '2.0', id: 1, method: 'echo', params: { a: 1 } });
    raw.receive({ jsonrpc: '2.0', id: 2, method: 'fail' });
    raw.receive({ jsonrpc: '2.0', id: 3, method: 'boom' });
    await tick();
    expect(raw.sent).toEqual([
      { jsonrpc: '2.0', id: 1, result: { echoed: { a: 1 } } },
      { jsonrpc: '2.0', id: 2, error: { code: -32602, message: 'no such thing' } },
      { jsonrpc: '2.0', id: 3, error: { code: -32603, message: 'inner' } },
    ]);
  });

  it('aborts an incoming request the other side cancels, and never answers it', async () => {
    let seen: AbortSignal | undefined;
    let finish!: (v: unknown) => void;
    const { raw, tick } = setup({
      request: (_m, context) => {
        seen = context.signal;
        return new Promise((resolve) => (finish = resolve));
      },
    });
    raw.receive({ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: {} });
    raw.receive({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'a' } });
    expect(seen?.aborted).toBe(true);
    finish({ late: true });
    await tick();
    expect(raw.sent).toEqual([]);
  });
});
