// Something read from the gateway, read again when an event of the given types says it changed (or the stream
// reconnected, when events may have been missed).
import { useCallback, useEffect, useState } from 'react';
import type { GatehouseEvent } from '../../../shared/api/events';
import type { EventStream } from './useEventStream';

export interface Loaded<T> {
  value: T | undefined;
  error: string | undefined;
  reload: () => void;
}

export function useLoaded<T>(
  load: () => Promise<T>,
  events: EventStream,
  changedBy: readonly GatehouseEvent['type'][],
  onError: (err: unknown) => void,
): Loaded<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [turn, setTurn] = useState(0);
  const reload = useCallback(() => setTurn((n) => n + 1), []);
  useEffect(() => {
    let current = true;
    load().then(
      (next) => {
        if (!current) return;
        setValue(next);
        setError(undefined);
      },
      (err: unknown) => {
        if (!current) return;
        setError((err as Error).message);
        onError(err);
      },
    );
    return () => {
      current = false;
    };
    // `load` is the caller's: it changes with what it reads, which is what `turn` and the epoch stand for here.
  }, [turn, events.epoch]);
  useEffect(
    () => events.listen((event) => (changedBy.includes(event.type) ? reload() : undefined)),
    [events, changedBy, reload],
  );
  return { value, error, reload };
}
