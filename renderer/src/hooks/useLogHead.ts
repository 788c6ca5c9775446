// The call log's chain head (GET /api/log/head): read when the view opens, and again after new calls, at most every
// 10 s however many calls arrive.
import { useEffect, useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import type { LogHead } from '../../../shared/call-record';
import type { EventStream } from './useEventStream';

const MIN_INTERVAL_MS = 10_000;

export function useLogHead(api: GatehouseApi, events: EventStream): { head?: LogHead; error?: string } {
  const [head, setHead] = useState<LogHead>();
  const [error, setError] = useState<string>();
  const { listen } = events;

  useEffect(() => {
    let alive = true;
    let lastRead = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      timer = undefined;
      lastRead = Date.now();
      api.getLogHead({}).then(
        (next) => alive && (setHead(next), setError(undefined)),
        (err: unknown) => alive && setError(err instanceof Error ? err.message : String(err)),
      );
    };
    read();
    const stop = listen((event) => {
      if (event.type !== 'call' || timer !== undefined) return;
      timer = setTimeout(read, Math.max(0, lastRead + MIN_INTERVAL_MS - Date.now()));
    });
    return () => {
      alive = false;
      stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, listen]);

  return { head, error };
}
