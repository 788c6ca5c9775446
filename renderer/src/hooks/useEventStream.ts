// One SSE connection for the whole dashboard; views subscribe to the events they need.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GatehouseEvent } from '../../../shared/api/events';
import { subscribeEvents, type ApiRequestError, type TokenSource } from '../api/http-client';

export type EventListener = (event: GatehouseEvent) => void;

export interface EventStream {
  /** Adds a listener; returns the function that removes it. */
  listen(listener: EventListener): () => void;
  connected: boolean;
  /** Counts (re)connections: a view reloads what the stream may have missed when it changes. */
  epoch: number;
  lastError?: string;
}

export function useEventStream(
  baseUrl: string,
  getToken: TokenSource,
  onUnauthorized: () => void,
): EventStream {
  const listeners = useRef(new Set<EventListener>());
  const [connected, setConnected] = useState(false);
  const [epoch, setEpoch] = useState(0);
  const [lastError, setLastError] = useState<string>();
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  useEffect(() => {
    const stop = subscribeEvents(
      baseUrl,
      getToken,
      (event) => {
        for (const listener of listeners.current) listener(event);
      },
      (error: ApiRequestError) => {
        if (error.status === 401) unauthorized.current();
        setLastError(error.message);
      },
      {
        onStatus: ({ connected: isConnected }) => {
          setConnected(isConnected);
          if (isConnected) {
            setEpoch((n) => n + 1);
            setLastError(undefined);
          }
        },
      },
    );
    return stop;
  }, [baseUrl, getToken]);

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
