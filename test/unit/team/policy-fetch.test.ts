// One request for the team's policy, against loopback servers that misbehave on purpose: its ETag sent and a 304 taken
// as unchanged, credentials sent as Basic auth, and each failure — a timeout, a body over the cap, bytes that are not
// UTF-8, an error status, a refused connection — a reason a person can act on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchPolicy } from '../../../electron/gateway/team/policy-fetch.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/policy.json`;
}

const limits = { timeoutMs: 300, maxBytes: 1024 };

describe('fetching the team policy', () => {
  it('sends the ETag it holds and takes 304 as unchanged; sends credentials as Basic auth', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers);
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { etag: '"v1"' }).end('{"version":"1"}');
    });
    const withUser = url.replace('http://', 'http://ops:p%40ss@');
    expect(await fetchPolicy(withUser, undefined, limits)).toEqual({
      kind: 'changed',
      text: '{"version":"1"}',
      etag: '"v1"',
    });
    expect(await fetchPolicy(url, '"v1"', limits)).toEqual({ kind: 'unchanged' });
    expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('ops:p@ss').toString('base64')}`);
    expect(seen[1]?.authorization).toBeUndefined();
    expect(seen[1]?.['if-none-match']).toBe('"v1"');
  });

  it('follows no redirect, naming where it pointed (it could lead to plain http or another host)', async () => {
    const url = await serve((_req, res) =>
      res.writeHead(302, { location: 'http://evil.example/p.json' }).end(),
    );
    expect(await fetchPolicy(url, undefined, limits)).toEqual({
      kind: 'failed',
      reason:
        'answered with a redirect (HTTP 302 to http://evil.example/p.json), which is not followed: set policySource.url to where the policy is',
    });
  });

  it('gives up on a server that does not answer in time', async () => {
    const url = await serve(() => undefined);
    const started = Date.now();
    expect(await fetchPolicy(url, undefined, limits)).toEqual({
      kind: 'failed',
      reason: 'no complete answer within 0.3 s',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops reading a body over the cap, with or without a Content-Length', async () => {
    const big = 'x'.repeat(4096);
    const declared = await serve((_req, res) => res.writeHead(200).end(big));
    expect(await fetchPolicy(declared, undefined, limits)).toEqual({
      kind: 'failed',
      reason: 'the answer is larger than 1 KiB',
    });
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(big.slice(0, 800));
      setTimeout(() => res.end(big.slice(800)), 20);
    });
    expect(await fetchPolicy(streamed, undefined, { ...limits, maxBytes: 2 * 1024 * 1024 })).toMatchObject({
      kind: 'changed',
    });
    expect(await fetchPolicy(streamed, undefined, limits)).toMatchObject({ kind: 'failed' });
  });

  it('names a body that is not UTF-8, an error status and a refused connection', async () => {
    const latin1 = await serve((_req, res) => res.writeHead(200).end(Buffer.from([0x7b, 0xe9, 0x7d])));
    expect(await fetchPolicy(latin1, undefined, limits)).toEqual({
      kind: 'failed',
      reason: 'the answer is not UTF-8 text',
    });
    const broken = await serve((_req, res) => res.writeHead(502).end('bad gateway'));
    expect(await fetchPolicy(broken, undefined, limits)).toEqual({
      kind: 'failed',
      reason: 'answered HTTP 502 Bad Gateway',
    });
    const gone = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await fetchPolicy(gone, undefined, limits)).toEqual({
      kind: 'failed',
      reason: 'cannot be reached (ECONNREFUSED)',
    });
  });
});
