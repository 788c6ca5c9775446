// HTTP upstreams on 127.0.0.1: Streamable HTTP, the SSE fallback, headers, and reconnecting after the server died.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ServersFile, UpstreamStatus } from '../../../shared/servers.js';
import { UpstreamManager } from '../../../electron/gateway/upstream/manager.js';
import { startEverythingHttp, waitFor } from '../../helpers/upstreams.js';

function newManager(servers: ServersFile['mcpServers'], diagnostics: string[] = []): UpstreamManager {
  const manager = new UpstreamManager({
    servers: { mcpServers: servers },
    diagnostics: (line) => diagnostics.push(line),
    restartBackoff: { initialMs: 100, maxMs: 500 },
  });
  onTestFinished(() => manager.stop());
  return manager;
}

async function untilState(manager: UpstreamManager, name: string, state: UpstreamStatus['state']) {
  const ok = await waitFor(() => manager.status().find((s) => s.name === name)?.state === state, 20_000);
  const status = manager.status().find((s) => s.name === name);
  if (!ok) throw new Error(`upstream ${name} did not become ${state}: ${JSON.stringify(status)}`);
  return status as UpstreamStatus;
}

describe('HTTP upstreams', () => {
  it('connects to server-everything over Streamable HTTP by URL and passes results through', async () => {
    const upstream = await startEverythingHttp('streamableHttp');
    onTestFinished(() => upstream.stop());
    const manager = newManager({ remote: { url: upstream.url } });
    manager.start();
    const status = await untilState(manager, 'remote', 'ready');
    expect(status).toMatchObject({ transport: 'streamable-http', restarts: 0, stderrTail: [] });
    expect(status.pid).toBeUndefined();
    const names = manager.tools()[0]?.tools.map((t) => t.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']));
    expect(await manager.callTool('remote', 'echo', { message: 'over http' })).toEqual({
      content: [{ type: 'text', text: 'Echo: over http' }],
    });
    expect(await manager.callTool('remote', 'get-sum', { a: 1, b: 2 })).toEqual({
      content: [{ type: 'text', text: 'The sum of 1 and 2 is 3.' }],
    });
    const progress: number[] = [];
    const long = await manager.callTool(
      'remote',
      'trigger-long-running-operation',
      { duration: 0.3, steps: 3 },
      { onProgress: (p) => progress.push(p.progress) },
    );
    expect(long.isError).toBeFalsy();
    expect(progress).toEqual([1, 2, 3]);
    expect(manager.getClient('remote')?.serverInfo?.name).toBeTruthy();
  });

  it('falls back to the SSE transport when Streamable HTTP answers 4xx', async () => {
    const upstream = await startEverythingHttp('sse');
    onTestFinished(() => upstream.stop());
    const diagnostics: string[] = [];
    const manager = newManager({ legacy: { url: upstream.url } }, diagnostics);
    manager.start();
    const status = await untilState(manager, 'legacy', 'ready');
    expect(status.transport).toBe('sse');
    expect(
      diagnostics.some((l) => /Streamable HTTP answered 404; trying the older SSE transport/.test(l)),
    ).toBe(true);
    expect(await manager.callTool('legacy', 'echo', { message: 'old school' })).toEqual({
      content: [{ type: 'text', text: 'Echo: old school' }],
    });
  });

  it('sends the configured headers and reports a server that is not MCP as failed', async () => {
    const seen: { method?: string; key?: string | string[] }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ method: req.method, key: req.headers['x-api-key'] });
      // /echo answers 500 with the key in the body: the reason shown must not repeat it.
      if (req.url?.startsWith('/echo')) res.writeHead(500).end(`bad key ${String(req.headers['x-api-key'])}`);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('nothing here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const manager = newManager({
      nope: { url: `http://127.0.0.1:${port}/mcp?token=abc`, headers: { 'X-Api-Key': 'k-123' } },
      echo: { url: `http://127.0.0.1:${port}/echo`, headers: { 'X-Api-Key': 'k-456' } },
    });
    manager.start();
    const status = await untilState(manager, 'nope', 'failed');
    expect(status.error).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/mcp answered HTTP 404`));
    expect(status.error).not.toContain('token=abc');
    expect(seen.some((r) => r.method === 'POST' && r.key === 'k-123')).toBe(true);
    expect(seen.some((r) => r.method === 'GET' && r.key === 'k-123')).toBe(true);
    const echo = await untilState(manager, 'echo', 'failed');
    expect(echo.error).toMatch(/answered HTTP 500: .*bad key \*\*\*/);
    expect(echo.error).not.toContain('k-456');
  });

  it('reconnects when the HTTP server went away and came back', async () => {
    let upstream = await startEverythingHttp('streamableHttp');
    onTestFinished(() => upstream.stop());
    const manager = newManager({ remote: { url: upstream.url } });
    manager.start();
    await untilState(manager, 'remote', 'ready');
    const port = upstream.port;
    await upstream.stop();
    await expect(manager.callTool('remote', 'echo', { message: 'anyone?' })).rejects.toThrow(
      /^upstream "remote" could not be reached \(.*\); Gatehouse is reconnecting — retry in a moment$/,
    );
    expect(manager.status()[0]?.state).toBe('restarting');
    // The same server comes back on the same port; the manager finds it on its own.
    upstream = await startEverythingHttp('streamableHttp', 15_000, port);
    const back = await untilState(manager, 'remote', 'ready');
    expect(back.restarts).toBeGreaterThanOrEqual(1);
    expect(await manager.callTool('remote', 'echo', { message: 'back' })).toEqual({
      content: [{ type: 'text', text: 'Echo: back' }],
    });
  });

  it('notices on its own, without a call, that the HTTP server went away', async () => {
    const upstream = await startEverythingHttp('streamableHttp');
    onTestFinished(() => upstream.stop());
    const diagnostics: string[] = [];
    const manager = newManager({ remote: { url: upstream.url } }, diagnostics);
    manager.start();
    await untilState(manager, 'remote', 'ready');
    await upstream.stop();
    // The SDK retries its event stream twice (1 s, then 1.5 s) before it gives up.
    const noticed = await waitFor(() => manager.status()[0]?.state !== 'ready', 10_000);
    expect(noticed, diagnostics.join('\n')).toBe(true);
    expect(manager.status()[0]?.error).toMatch(/could not be reached/);
    // Restarting keeps its last tools listed; failing to come back removes them.
    const state = manager.status()[0]?.state;
    expect(manager.tools().length).toBe(state === 'restarting' ? 1 : 0);
  });
});
