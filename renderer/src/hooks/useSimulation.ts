// A draft policy replayed over the call log on request (POST /api/policy/simulate): the answer for the text and
// period last asked, or why it could not be given (the gateway's errors for an invalid draft).
import { useCallback, useState } from 'react';
import { ApiRequestError, type GatehouseApi, type OperationOutput } from '../../../shared/api/operations';

export interface SimulationState {
  answer?: { simulation: OperationOutput<'simulatePolicy'>; since: string; text: string };
  error?: string;
  busy: boolean;
}

export function useSimulation(api: GatehouseApi): SimulationState & {
  run: (text: string, since: string) => void;
  clear: () => void;
} {
  const [state, setState] = useState<SimulationState>({ busy: false });
  const run = useCallback(
    (text: string, since: string) => {
      setState({ busy: true });
      api.simulatePolicy({ text, since }).then(
        (simulation) => setState({ busy: false, answer: { simulation, since, text } }),
        (err: unknown) => {
          const problems = err instanceof ApiRequestError ? (err.body.errors ?? []) : [];
          const detail = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
          setState({
            busy: false,
            error: detail ? `${(err as Error).message} (${detail})` : (err as Error).message,
          });
        },
      );
    },
    [api],
  );
  const clear = useCallback(() => setState({ busy: false }), []);
  return { ...state, run, clear };
}
