// The live calls: the first page from GET /api/calls for the current filters, older pages on demand, and `call`
// events merged by id as they arrive (an outcome updates its call where it stands).
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import type { CallRecord } from '../../../shared/call-record';
import { matchesFilters, toCallQuery, type CallFilters } from '../lib/call-filters';
import { CallStore } from '../lib/call-store';
import type { EventStream } from './useEventStream';

const FIRST_PAGE = 200;
const NEXT_PAGE = 1000;

export interface CallFeed {
  store: CallStore;
  /** Changes whenever the store does (re-render key). */
  version: number;
  loading: boolean;
  /** True once the first page for the current filters has arrived. */
  loaded: boolean;
  hasMore: boolean;
  error?: string;
  loadMore(): void;
}

export function useCallFeed(
  api: GatehouseApi,
  events: EventStream,
  filters: CallFilters,
  onError: (err: unknown) => void,
): CallFeed {
  const [store] = useState(() => new CallStore());
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [nextBefore, setNextBefore] = useState<string>();
  const [error, setError] = useState<string>();
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  /** Live records that arrive while the first page loads: merged once it is in. */
  const buffered = useRef<CallRecord[] | null>([]);
  const frame = useRef<number | undefined>(undefined);
  const generation = useRef(0);

  const scheduleNotify = useCallback(() => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      store.notify();
    });
  }, [store]);
  useEffect(
    () => () => {
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const { listen } = events;
  useEffect(
    () =>
      listen((event) => {
        if (event.type !== 'call') return;
        const record = event.data as CallRecord;
        if (buffered.current) {
          buffered.current.push(record);
          return;
        }
        if (store.upsertLive(record, (r) => matchesFilters(r, filtersRef.current))) scheduleNotify();
      }),
    [listen, store, scheduleNotify],
  );

  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    const mine = ++generation.current;
    buffered.current = [];
    setLoading(true);
    setLoaded(false);
    api.listCalls(toCallQuery(filtersRef.current, FIRST_PAGE)).then(
      (page) => {
        if (mine !== generation.current) return;
        store.clear();
        store.appendOlder(page.calls);
        for (const record of buffered.current ?? [])
          store.upsertLive(record, (r) => matchesFilters(r, filtersRef.current));
        buffered.current = null;
        setNextBefore(page.nextBefore);
        setLoading(false);
        setLoaded(true);
        setError(undefined);
        store.notify();
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        buffered.current = null;
        setLoading(false);
        setError((err as Error).message);
        onError(err);
      },
    );
    // filterKey stands for the filters' content (a new object with the same values must not reload).
  }, [api, store, filterKey, onError]);

  const loadMore = useCallback(() => {
    if (loading || !nextBefore) return;
    const mine = generation.current;
    setLoading(true);
    api.listCalls(toCallQuery(filtersRef.current, NEXT_PAGE, nextBefore)).then(
      (page) => {
        if (mine !== generation.current) return;
        store.appendOlder(page.calls);
        setNextBefore(page.nextBefore);
        setLoading(false);
        store.notify();
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setLoading(false);
        setError((err as Error).message);
        onError(err);
      },
    );
  }, [api, loading, nextBefore, store, onError]);

  return {
    store,
    version,
    loading,
    loaded,
    hasMore: nextBefore !== undefined,
    ...(error !== undefined ? { error } : {}),
    loadMore,
  };
}
