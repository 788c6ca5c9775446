// Reads and parses a JSON request body once, before the SDK transport sees it: the transport then skips its own
// Request/stream conversion of the body (the benchmark's profile: about 30% of the front's CPU per call).
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  { ok: true; body: unknown } | { ok: false; status: 400 | 413 | 503; code: number; message: string };

/**
 * All bodies being read at once hold at most this many bytes, whatever the number of connections: past it, the
 * request that would go over is refused with 503 (retry later) — memory stays bounded under many concurrent 4 MiB
 * bodies.
 */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
let buffered = 0;

/** Bytes held by bodies being read right now (for tests and diagnostics). */
export function bufferedBodyBytes(): number {
  return buffered;
}

export function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      buffered -= held;
      held = 0;
      chunks.length = 0;
      resolve(result);
    };
    const busy: BodyResult = {
      ok: false,
      status: 503,
      code: -32000,
      message: 'Service busy: too many large requests are being read at once; retry in a moment',
    };
    const tooLarge: BodyResult = {
      ok: false,
      status: 413,
      code: -32000,
      message: `Payload too large: the limit is ${limit} bytes`,
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the client can read the 413 instead of a reset;
      // far past it, the connection is cut.
      if (size > limit * 16) {
        finish(tooLarge);
        req.destroy();
      } else if (done) {
        // Refused already (busy): the rest is read and dropped, so the client can read the answer.
      } else if (size <= limit) {
        if (buffered + chunk.length > MAX_BUFFERED_BYTES) return finish(busy);
        buffered += chunk.length;
        held += chunk.length;
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (size > limit) return finish(tooLarge);
      try {
        const text = Buffer.concat(chunks, size).toString('utf8');
        finish({ ok: true, body: JSON.parse(text) as unknown });
      } catch {
        finish({ ok: false, status: 400, code: -32700, message: 'Parse error: Invalid JSON' });
      }
    });
    const unread: BodyResult = {
      ok: false,
      status: 400,
      code: -32700,
      message: 'Parse error: the body could not be read',
    };
    req.on('error', () => finish(unread));
    // A connection closed before its body ended gives its bytes back too.
    req.on('close', () => finish(unread));
  });
}
