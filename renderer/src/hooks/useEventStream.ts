// One subscription to the gateway's events for the whole dashboard (GatehouseApi.subscribe); views listen to the
// events they need.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GatehouseEvent } from '../../../shared/api/events';
import type { ApiRequestError, GatehouseApi } from '../../../shared/api/operations';

type EventListener = (event: GatehouseEvent) => void;

export interface EventStream {
  /** Adds a listener; returns the function that removes it. */
  listen(listener: EventListener): () => void;
  connected: boolean;
  /** Counts (re)connections: a view reloads what the stream may have missed when it changes. */
  epoch: number;
  lastError?: string;
}

export function useEventStream(api: GatehouseApi, onUnauthorized: () => void): EventStream {
  const listeners = useRef(new Set<EventListener>());
  const [connected, setConnected] = useState(false);
  const [epoch, setEpoch] = useState(0);
  const [lastError, setLastError] = useState<string>();
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  useEffect(() => {
    const controller = new AbortController();
    api
      .subscribe(
        (event) => {
          for (const listener of listeners.current) listener(event);
        },
        {
          signal: controller.signal,
          onStatus: ({ connected: isConnected, error }) => {
            setConnected(isConnected);
            if (isConnected) {
              setEpoch((n) => n + 1);
              setLastError(undefined);
            } else if (error) setLastError(error.message);
          },
        },
      )
      .catch((error: ApiRequestError) => {
        // The gateway refused the token: the session is over, and no retry mends that.
        if (error.status === 401) unauthorized.current();
        setLastError(error.message);
      });
    return () => controller.abort();
  }, [api]);

  const listen = useMemo(
    () => (listener: EventListener) => {
      listeners.current.add(listener);
      return () => {
        listeners.current.delete(listener);
      };
    },
    [],
  );
  return { listen, connected, epoch, ...(lastError !== undefined ? { lastError } : {}) };
}
