// One grant of the Clients view: its name, when it was created, its open sessions, and Revoke after a confirmation
// that says how many sessions end.
import { useEffect, useRef, useState } from 'react';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';
import { EscapedText } from './EscapedText';

type Grant = OperationOutput<'listGrants'>['grants'][number];

export interface ClientRowProps {
  grant: Grant;
  api: GatehouseApi;
  onChanged: () => void;
  onError: (err: unknown) => void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function ClientRow({ grant, api, onChanged, onError }: ClientRowProps) {
  const { name, sessions } = grant;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const revokeRef = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (opened.current) revokeRef.current?.focus();
    opened.current = confirming;
  }, [confirming]);

  const revoke = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.revokeGrant({ name });
      onChanged();
    } catch (err) {
      setProblem((err as Error).message);
      setConfirming(false);
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  const created = new Date(grant.created);
  return (
    <tr>
      <th scope="row" className="mono">
        <EscapedText text={name} />
      </th>
      <td>
        <time dateTime={grant.created}>
          {Number.isNaN(created.getTime()) ? grant.created : created.toLocaleString()}
        </time>
      </td>
      <td className="num">{sessions}</td>
      <td className="client-actions">
        {!confirming && (
          <button
            ref={revokeRef}
            type="button"
            className="small"
            aria-label={`Revoke ${name}`}
            onClick={() => setConfirming(true)}
          >
            Revoke
          </button>
        )}
        {confirming && (
          <div className="client-confirm" role="group" aria-label={`Revoke ${name}?`}>
            <span>
              Revoke <strong className="mono">{name}</strong>? Its {plural(sessions, 'open session')} end.
            </span>
            <button type="button" className="small deny" disabled={busy} onClick={() => void revoke()}>
              Revoke
            </button>
            <button
              ref={cancelRef}
              type="button"
              className="small"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        )}
        {problem && (
          <p className="server-problem" role="alert">
            {problem}
          </p>
        )}
      </td>
    </tr>
  );
}
