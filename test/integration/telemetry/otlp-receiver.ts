// A test OTLP/HTTP receiver on loopback: a plain node:http server that parses the JSON bodies the exporter posts to
// /v1/logs and keeps every log record with its attributes. It can go down and come back on the same port, or hang.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};
type KeyValue = { key: string; value: AnyValue };

export interface ReceivedRecord {
  attributes: Record<string, string | number | boolean | undefined>;
  resource: Record<string, string | number | boolean | undefined>;
  body: string | undefined;
  severityText: string | undefined;
  traceId: string | undefined;
}

function valueOf(v: AnyValue): string | number | boolean | undefined {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.doubleValue ?? v.boolValue;
}

const attributesOf = (list: KeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

interface LogsRequest {
  resourceLogs?: {
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: {
      logRecords?: {
        attributes?: KeyValue[];
        body?: AnyValue;
        severityText?: string;
        traceId?: string;
      }[];
    }[];
  }[];
}

export class OtlpReceiver {
  readonly records: ReceivedRecord[] = [];
  /** Every body as received, to search for what must never be sent. */
  readonly bodies: string[] = [];
  readonly headers: http.IncomingHttpHeaders[] = [];
  private server: http.Server | undefined;
  private hanging = false;
  private readonly held: http.ServerResponse[] = [];
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port once it has one). */
  async start(): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** From now on, requests are read and never answered. */
  hang(): void {
    this.hanging = true;
  }

  /** Goes down: the port refuses connections until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const res of this.held.splice(0)) res.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.hanging) {
        this.held.push(res);
        return;
      }
      if (req.url !== '/v1/logs' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      this.bodies.push(text);
      this.headers.push(req.headers);
      const body = JSON.parse(text) as LogsRequest;
      for (const rl of body.resourceLogs ?? []) {
        const resource = attributesOf(rl.resource?.attributes);
        for (const sl of rl.scopeLogs ?? []) {
          for (const r of sl.logRecords ?? []) {
            this.records.push({
              attributes: attributesOf(r.attributes),
              resource,
              body: r.body?.stringValue,
              severityText: r.severityText,
              traceId: r.traceId || undefined,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }
}

/** Waits until `done()` holds, checking every 50 ms; fails naming `what` after `ms`. */
export async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
