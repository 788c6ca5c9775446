// One line of the Settings view: where the rate limits are counted — by this gateway alone, or on the team's Redis
// (settings.json `counters`), and whether it answers now (GET /api/counters, followed live by the `counters` event).
import type { CounterBackend } from '../../../shared/api/counter-shapes';
import type { GatehouseApi } from '../../../shared/api/operations';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';

const CHANGED_BY = ['counters'] as const;

const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString() : '');

function words(backend: CounterBackend): string {
  if (backend.state === 'local') return 'Rate limits are counted by this gateway alone.';
  const where = `Rate limits with scope global and grant are shared with team "${backend.team}" on ${backend.redis}`;
  switch (backend.state) {
    case 'connecting':
      return `${where} — connecting…`;
    case 'connected':
      return `${where} — connected since ${time(backend.since)}.`;
    case 'unavailable':
      return `${where} — unreachable since ${time(backend.since)} (${backend.error}): ${
        backend.onUnavailable === 'local'
          ? 'counting locally meanwhile'
          : 'calls under a shared limit are refused meanwhile'
      }.`;
  }
}

export function CounterBackendLine(props: {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}) {
  const backend = useLoaded(() => props.api.getCounters({}), props.events, CHANGED_BY, props.onError);
  if (!backend.value) return null;
  return (
    <p className={`setting-counters is-${backend.value.state}`} role="status" data-testid="counter-backend">
      {words(backend.value)}
    </p>
  );
}
