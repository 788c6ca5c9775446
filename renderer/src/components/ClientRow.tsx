// One grant of the Clients view: its name, when it was created, its open sessions, and Revoke after a confirmation
// that says how many sessions end.
import { useRowAction } from '../hooks/useRowAction';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';
import { ConfirmedAction } from './ConfirmedAction';
import { EscapedText } from './EscapedText';
import { plural } from '../lib/format';

type Grant = OperationOutput<'listGrants'>['grants'][number];

export interface ClientRowProps {
  grant: Grant;
  api: GatehouseApi;
  onChanged: () => void;
  onError: (err: unknown) => void;
}

export function ClientRow({ grant, api, onChanged, onError }: ClientRowProps) {
  const { name, sessions } = grant;
  const { busy, problem, run } = useRowAction(onChanged, onError);
  const revoke = () => run(() => api.revokeGrant({ name }));

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
        <ConfirmedAction
          verb="Revoke"
          name={name}
          consequence={`Its ${plural(sessions, 'open session')} end.`}
          busy={busy}
          className="client-confirm"
          onConfirm={revoke}
        />
        {problem && (
          <p className="server-problem" role="alert">
            {problem}
          </p>
        )}
      </td>
    </tr>
  );
}
