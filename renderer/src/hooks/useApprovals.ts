// The approval queue: the pending list from GET /api/approvals, kept current by `approval` events.
import { useCallback, useEffect, useState } from 'react';
import type { ApprovalAnswer, PendingApproval } from '../../../shared/api/approvals';
import type { GatehouseApi } from '../../../shared/api/operations';
import type { EventStream } from './useEventStream';

export interface Approvals {
  pending: PendingApproval[];
  loaded: boolean;
  error?: string;
  answer(id: string, answer: ApprovalAnswer): Promise<void>;
}

export function useApprovals(
  api: GatehouseApi,
  events: EventStream,
  onError: (err: unknown) => void,
  /** Where the person answers: recorded with the call and named in the agent's text. */
  via: 'dashboard' | 'popup' = 'dashboard',
): Approvals {
  const [pending, setPending] = useState<PendingApproval[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();

  // Reloaded at every (re)connection of the event stream, so nothing resolved while it was down stays on screen.
  useEffect(() => {
    let cancelled = false;
    api.listApprovals({}).then(
      ({ approvals }) => {
        if (cancelled) return;
        setPending(sortByExpiry(approvals));
        setLoaded(true);
        setError(undefined);
      },
      (err: unknown) => {
        if (cancelled) return;
        setError((err as Error).message);
        onError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, events.epoch, onError]);

  const { listen } = events;
  useEffect(
    () =>
      listen((event) => {
        if (event.type !== 'approval') return;
        const { state, approval } = event.data as {
          state: 'pending' | 'resolved';
          approval: PendingApproval;
        };
        setPending((list) => {
          const rest = list.filter((a) => a.id !== approval.id);
          return state === 'pending' ? sortByExpiry([...rest, approval]) : rest;
        });
      }),
    [listen],
  );

  const answer = useCallback(
    async (id: string, body: ApprovalAnswer) => {
      await api.answerApproval({ id, ...body, via });
      setPending((list) => list.filter((a) => a.id !== id));
    },
    [api, via],
  );

  return { pending, loaded, ...(error !== undefined ? { error } : {}), answer };
}

/** The client that stops waiting first comes first. */
function sortByExpiry(list: PendingApproval[]): PendingApproval[] {
  return [...list].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
}
