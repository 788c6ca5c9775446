// Sending one request of the front-door fuzz with a deadline: answered, closed without an answer, or hung.
import http from 'node:http';
import type { Concrete } from './hostile-requests.js';

/** A request the test makes itself, to the gateway's own Host. */
export function plain(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Concrete {
  return {
    method,
    path,
    headers: { host: `127.0.0.1:${port}`, ...headers },
    body: body === undefined ? undefined : Buffer.from(body),
    carries: 'none',
    mcpCredential: false,
    ownOrigin: true,
    foreignSession: false,
    session: headers['mcp-session-id'],
  };
}

export type Outcome =
  | { kind: 'answered'; status: number; headers: http.IncomingHttpHeaders; body: string; stream: boolean }
  | { kind: 'closed'; error: string }
  | { kind: 'hung' };

/** Sends one request; a GET answered with an event stream counts as answered once its headers arrive. */
export function send(port: number, c: Concrete, deadlineMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: c.method,
        path: c.path,
        headers: c.headers,
        agent: false,
        setHost: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const stream = /text\/event-stream/i.test(res.headers['content-type'] ?? '');
        if (stream && c.method === 'GET') {
          done({ kind: 'answered', status, headers: res.headers, body: '', stream });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          done({
            kind: 'answered',
            status,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            stream,
          }),
        );
        res.on('error', (err) => done({ kind: 'closed', error: err.message }));
        res.on('close', () => done({ kind: 'closed', error: 'closed mid-answer' }));
      },
    );
    const timer = setTimeout(() => {
      done({ kind: 'hung' });
      req.destroy();
    }, deadlineMs);
    req.on('error', (err) => done({ kind: 'closed', error: err.message }));
    // A body always travels with its length: Node's client sends a GET's body bare, which the server would read as
    // the start of a second, malformed request.
    if (c.body !== undefined) req.setHeader('content-length', c.body.length);
    req.end(c.body);
  });
}
