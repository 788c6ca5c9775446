// Sending one of the client's requests on to the gateway: progress back to the client, cancellation to the gateway,
// and a fresh session when the gateway restarted between two requests.
import type { RequestHandlerExtra, RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { classifyFailure, PassedError } from './failures.js';
import type { ForwardedRequest, GatewayLink, GatewaySession } from './gateway-link.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** How long a forwarded request may take: the client decides when to give up (it cancels), not the bridge. */
const FORWARD_TIMEOUT_MS = 24 * 60 * 60 * 1000;
/** The least time between the last progress notification and the result. */
const PROGRESS_GAP_MS = 30;
/** How long a request waits for a gateway that is running but whose session is not open yet. */
const WAIT_FOR_SESSION_MS = 5000;

export async function forward<T extends AnySchema>(
  session: GatewaySession,
  request: ForwardedRequest,
  schema: T,
  extra: Extra,
): Promise<SchemaOutput<T>> {
  const meta = request.params?._meta as { progressToken?: unknown } | undefined;
  const token = meta?.progressToken;
  const options: RequestOptions = { signal: extra.signal, timeout: FORWARD_TIMEOUT_MS };
  // Progress is sent in order, and all of it before the result: a notification sent after the response is dropped.
  let sent: Promise<void> = Promise.resolve();
  let lastSentAt = 0;
  if (typeof token === 'string' || typeof token === 'number') {
    options.onprogress = (progress) => {
      sent = sent
        .then(() =>
          extra.sendNotification({
            method: 'notifications/progress',
            params: { ...progress, progressToken: token },
          }),
        )
        .then(() => {
          lastSentAt = Date.now();
        })
        .catch(() => undefined); // the client is gone; the result will not reach it either
    };
  }
  // The SDK replaces the client's progressToken by its own and maps the gateway's progress back through onprogress.
  const result = await session.client.request(
    { method: request.method, ...(request.params ? { params: request.params } : {}) },
    schema,
    options,
  );
  await sent;
  // The SDK's client drops a progress notification that it reads in the same chunk as the response (it handles
  // notifications a microtask late), so the last one gets a moment to be read on its own.
  const gap = lastSentAt + PROGRESS_GAP_MS - Date.now();
  if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
  return result;
}

export interface GatewayFallbacks<R> {
  /** No gateway is running (or it refused the bridge). */
  down: () => R;
  /** The connection broke while the request was under way: the gateway may or may not have run it. */
  broken: (reason: string) => R;
}

/**
 * Runs `send` on the open session. A JSON-RPC error of the gateway is passed on as it is; a request that never
 * reached a live session (the gateway restarted) is sent once more on the new session.
 */
export async function onGateway<R>(
  link: GatewayLink,
  signal: AbortSignal,
  send: (session: GatewaySession) => Promise<R>,
  fallbacks: GatewayFallbacks<R>,
): Promise<R> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const session = await link.whenUp(WAIT_FOR_SESSION_MS);
    if (!session) return fallbacks.down();
    try {
      return await send(session);
    } catch (err) {
      if (signal.aborted || err instanceof PassedError) throw err;
      const failure = classifyFailure(err);
      if (failure.kind === 'answered') throw PassedError.of(failure.error);
      link.lost(session, failure.reason);
      if (failure.kind === 'broken') return fallbacks.broken(failure.reason);
    }
  }
  return fallbacks.down();
}
