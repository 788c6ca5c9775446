// An action of one row of a list (restart, remove, revoke…): busy while it runs, its failure kept to show in the row,
// the list reloaded when it went through.
import { useState } from 'react';

export interface RowAction {
  busy: boolean;
  problem: string | undefined;
  /** Runs the action; true when it went through. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}

export function useRowAction(onChanged: () => void, onError: (err: unknown) => void): RowAction {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
      onChanged();
      return true;
    } catch (err) {
      setProblem((err as Error).message);
      onError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
}
