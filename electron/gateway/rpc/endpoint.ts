// What both ends of the gateway's connections offer the code above them — a client session (front/) and an upstream
// connection (upstream/): requests whose answers are checked with the SDK's schemas, notifications, close.
import type { z } from 'zod';
import type { RequestOptions, RpcPeer } from './peer.js';

export abstract class RpcEndpoint {
  protected abstract readonly peer: RpcPeer;

  /** A request to the other side, its answer checked with the schema. */
  async request<S extends z.ZodType>(
    request: { method: string; params?: Record<string, unknown> },
    schema: S,
    options: RequestOptions = {},
  ): Promise<z.output<S>> {
    return schema.parse(await this.peer.request(request.method, request.params, options));
  }

  notify(notification: { method: string; params?: Record<string, unknown> }): Promise<void> {
    return this.peer.notify(notification);
  }

  close(): Promise<void> {
    return this.peer.close();
  }
}
