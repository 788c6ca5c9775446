// GET /api/events: Server-Sent Events over a plain response, read by the dashboard with fetch streaming (so the
// token travels in the Authorization header, never in a URL). A reader that stops reading (a frozen tab) is cut off
// once too much waits for it, instead of the gateway holding every event for it; it reconnects with Last-Event-ID.
import type { Request, Response } from 'express';
import type { EventHub } from './event-hub.js';

/** Bytes written but not yet taken by the reader, past which its stream ends. */
const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

export function serveEvents(hub: EventHub, req: Request, res: Response): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // A HEAD gets the headers and no stream (express routes it here with GET; Node would send nothing until the end).
  if (req.method === 'HEAD') return void res.end();
  res.write(`retry: 2000\n: connected, last sequence ${hub.lastSeq}\n\n`);
  const lastId = Number(req.headers['last-event-id']);
  const unsubscribe = hub.subscribe(
    (event) => {
      if (res.destroyed) return;
      // Ends the stream; its 'close' unsubscribes.
      if (res.writableLength > MAX_UNREAD_BYTES) return void res.destroy();
      res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    },
    Number.isInteger(lastId) ? lastId : undefined,
  );
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const close = () => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  req.on('close', close);
  res.on('close', close);
}
