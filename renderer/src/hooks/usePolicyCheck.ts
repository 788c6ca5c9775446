// The gateway's check of a policy draft, unsaved (POST /api/policy/check): its errors and the rules that can never
// decide (shadowed), asked for a moment after the text stops changing. Only the answer for the text as it is now is
// returned, so an answer about an older draft is never shown against a newer one.
import { useEffect, useState } from 'react';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';

export type PolicyCheck = OperationOutput<'checkPolicy'> & {
  /** Why the draft could not be checked (the gateway could not be reached), when it could not. */
  failure?: string;
};

const DELAY_MS = 300;

export function usePolicyCheck(api: GatehouseApi, text: string | undefined): PolicyCheck | undefined {
  const [answer, setAnswer] = useState<{ text: string; check: PolicyCheck }>();
  useEffect(() => {
    if (text === undefined) return;
    let current = true;
    const timer = setTimeout(() => {
      api.checkPolicy({ text }).then(
        (check) => current && setAnswer({ text, check }),
        (err: unknown) =>
          current &&
          setAnswer({
            text,
            check: { ok: false, errors: [], warnings: [], failure: (err as Error).message },
          }),
      );
    }, DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, text]);
  return answer && answer.text === text ? answer.check : undefined;
}
