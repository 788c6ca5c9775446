// A team's policy served over HTTP on loopback, for team mode's tests: what it answers can be changed between
// requests (a new policy with a new ETag, a broken one, an error status, silence), and every request is recorded.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PolicyServer {
  /** `http://user:secret@127.0.0.1:PORT/team/policy.json`: credentials in the URL, as a team might write it. */
  url: string;
  port: number;
  /** Serves this text from now on, with a new ETag (its hash). */
  serve(body: string | object): void;
  /** Answers every request with this status (and a text body) until serve() is called again. */
  fail(status: number): void;
  /** Never answers (until serve() is called again): the request times out. */
  hang(): void;
  requests: { ifNoneMatch?: string; authorization?: string; status: number }[];
  close(): Promise<void>;
}

export async function startPolicyServer(port = 0): Promise<PolicyServer> {
  let body = '';
  let etag = '';
  let failing: number | 'hang' | undefined;
  const requests: PolicyServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const record = (status: number) =>
      requests.push({
        ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
        ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
        status,
      });
    if (failing === 'hang') return record(0);
    if (failing !== undefined) {
      record(failing);
      res.writeHead(failing, { 'content-type': 'text/plain' }).end('the policy server is broken');
      return;
    }
    if (ifNoneMatch === etag) {
      record(304);
      res.writeHead(304, { etag }).end();
      return;
    }
    record(200);
    res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://team:s3cret-pass@127.0.0.1:${actual}/team/policy.json`,
    port: actual,
    serve(next) {
      body = typeof next === 'string' ? next : JSON.stringify(next, null, 2);
      etag = `"${crypto.createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      failing = undefined;
    },
    fail(status) {
      failing = status;
    },
    hang() {
      failing = 'hang';
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
