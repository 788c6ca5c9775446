// Whether Live calls shows the first-run screen: no server yet and the starter policy. Once shown it stays until a
// server exists, so the steps already done (the starting policy written) stay in view as done.
import { useEffect, useState } from 'react';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';
import { isStarterPolicy } from '../lib/first-run';
import type { EventStream } from './useEventStream';
import { useLoaded } from './useLoaded';

type StartingPolicy = OperationOutput<'listClientConfigs'>['startingPolicy'];

export interface FirstRun {
  show: boolean;
  startingPolicy: StartingPolicy;
  reload: () => void;
}

const CHANGED_BY = ['server', 'policy'] as const;

export function useFirstRun(
  api: GatehouseApi,
  events: EventStream,
  onError: (err: unknown) => void,
): FirstRun {
  const state = useLoaded(
    async () => {
      const [servers, policy] = await Promise.all([api.listServers({}), api.getPolicy({})]);
      const noServers = servers.servers.length === 0;
      const starter = isStarterPolicy(policy.text);
      // The starting policy comes with the clients' list; read only while it can be offered.
      const startingPolicy =
        noServers && starter ? (await api.listClientConfigs({})).startingPolicy : undefined;
      return { noServers, starter, startingPolicy };
    },
    events,
    CHANGED_BY,
    onError,
  );
  const [guided, setGuided] = useState(false);
  const value = state.value;
  useEffect(() => {
    if (value?.noServers && value.starter) setGuided(true);
  }, [value]);
  return {
    show: value !== undefined && value.noServers && (value.starter || guided),
    startingPolicy: value?.startingPolicy,
    reload: state.reload,
  };
}
