// A loopback forwarder for the conformance suite, which cannot send an Authorization header: it adds
// `Authorization: Bearer <token>` and forwards everything else (method, path, body, headers) to the gateway, and
// streams responses (SSE included) back as they come, without buffering.
//
// Host and Origin are what the dns-rebinding-protection scenario is about, so the gateway — not the forwarder —
// must be the one judging them. The gateway accepts a loopback Host with any port, but an Origin only when it is
// exactly its own (`http://<loopback>:<gateway port>`). Two modes:
//  - 'same-port' (preferred): the forwarder listens on [::1] at the gateway's own port number (the gateway holds
//    127.0.0.1 only). The suite then sends `Host: [::1]:P` / `Origin: http://[::1]:P`, which are the gateway's own
//    authority, and every header reaches the gateway byte for byte unchanged.
//  - 'mapped' (fallback when IPv6 loopback is unavailable): the forwarder listens on 127.0.0.1 at another port and
//    rewrites exactly its own authority (`127.0.0.1:F`, `localhost:F`, `[::1]:F`) in Host and Origin to the
//    gateway's port — what a client talking to the gateway directly would have sent. Any other Host or Origin (the
//    scenario's evil.example.com) passes through unchanged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Forwarder {
  url: string;
  mode: 'same-port' | 'mapped';
  /** Requests seen, by method: a sanity check that the suite really went through the forwarder. */
  counts: Record<string, number>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startForwarder(
  gatewayPort: number,
  token: string,
  prefer: Forwarder['mode'] = 'same-port',
): Promise<Forwarder> {
  let ownPort = 0;
  let mode: Forwarder['mode'] = prefer;
  const counts: Record<string, number> = {};

  const mapAuthority = (value: string, withScheme: boolean): string => {
    if (mode === 'same-port') return value;
    for (const name of LOOPBACK_NAMES) {
      const own = `${withScheme ? 'http://' : ''}${name}:${ownPort}`;
      if (value === own) return `${withScheme ? 'http://' : ''}${name}:${gatewayPort}`;
    }
    return value;
  };

  const server = http.createServer((req, res) => {
    counts[req.method ?? '?'] = (counts[req.method ?? '?'] ?? 0) + 1;
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers[name] = value;
    }
    if (typeof headers.host === 'string') headers.host = mapAuthority(headers.host, false);
    if (typeof headers.origin === 'string') headers.origin = mapAuthority(headers.origin, true);
    headers.authorization = `Bearer ${token}`;

    const upstream = http.request(
      { host: '127.0.0.1', port: gatewayPort, method: req.method, path: req.url, headers, setHost: false },
      (up) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(up.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        }
        res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
        res.flushHeaders();
        up.on('data', (chunk: Buffer) => res.write(chunk));
        up.on('end', () => res.end());
        up.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`forwarder: ${err.message}`);
      } else res.destroy();
    });
    // The client hung up (e.g. closed an SSE stream): hang up on the gateway too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });

  if (mode === 'same-port') {
    try {
      ownPort = await listen(server, gatewayPort, '::1');
    } catch {
      mode = 'mapped';
    }
  }
  if (mode === 'mapped') ownPort = await listen(server, 0, '127.0.0.1');
  const host = mode === 'same-port' ? `[::1]:${ownPort}` : `127.0.0.1:${ownPort}`;
  return {
    url: `http://${host}/mcp`,
    mode,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
