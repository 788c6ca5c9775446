// One server of the Servers view: its state (a failing one's reason in words), tool count, stderr (the last line, the
// whole tail on demand) and its actions — enable/disable, edit (the form in a row below it), restart, remove after a
// confirmation. Its config comes as the API shows it, secrets masked, and goes back so: the gateway keeps them.
import { useEffect, useRef, useState } from 'react';
import { useRowAction } from '../hooks/useRowAction';
import type { GatehouseApi, ServerView } from '../../../shared/api/operations';
import type { UpstreamState } from '../../../shared/servers';
import { withDisabled } from '../lib/server-form';
import { plural } from '../lib/format';
import { ConfirmedAction } from './ConfirmedAction';
import { EscapedText } from './EscapedText';
import { ServerForm } from './ServerForm';

export interface ServerRowProps {
  server: ServerView;
  api: GatehouseApi;
  onChanged: () => void;
  onError: (err: unknown) => void;
}

const TONE: Record<UpstreamState, string> = {
  ready: 'ok',
  starting: 'wait',
  restarting: 'warn',
  failed: 'error',
  disabled: 'neutral',
  stopped: 'neutral',
};

export function ServerRow({ server, api, onChanged, onError }: ServerRowProps) {
  const { name, status } = server;
  const { busy, problem, run: act } = useRowAction(onChanged, onError);
  const disabled = server.config.disabled === true;
  const tail = status?.stderrTail ?? [];
  const [editing, setEditing] = useState<Record<string, unknown>>();
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    // A closed edit form gives the keyboard back to its Edit button (enabled again once the form is gone).
    if (wasEditing.current && editing === undefined) editButton.current?.focus();
    wasEditing.current = editing !== undefined;
  }, [editing]);
  const closeEdit = () => setEditing(undefined);

  // The whole tail is rendered only once asked for: fifty servers' tails at once made the view slow.
  const [tailOpen, setTailOpen] = useState(false);

  const edit = () =>
    act(async () => {
      // What the API shows now, not what the list showed a while ago.
      setEditing((await api.getServer({ name })).config);
    });

  const toggle = () =>
    act(async () => {
      // What the API shows now, not what the list showed a while ago.
      const current = await api.getServer({ name });
      const next = withDisabled(current.config, !disabled);
      if ('refused' in next) throw new Error(next.refused);
      await api.putServer({ name, config: next.config });
    });

  return (
    <>
      <tr data-state={status?.state ?? 'unknown'}>
        <th scope="row" className="mono">
          <EscapedText text={name} />
        </th>
        <td>
          {status ? (
            <span className={`badge tone-${TONE[status.state]}`}>{status.state}</span>
          ) : (
            <span className="badge tone-neutral">{disabled ? 'disabled' : 'not started'}</span>
          )}
          {status?.error && (
            <span className="server-reason">
              {' '}
              — <EscapedText text={status.error} />
            </span>
          )}
        </td>
        <td className="num">{status?.toolCount ?? 0}</td>
        <td className="server-stderr mono muted">
          <EscapedText text={tail.at(-1) ?? ''} />
          {tail.length > 1 && (
            <details onToggle={(event) => setTailOpen(event.currentTarget.open)}>
              <summary>Last {plural(tail.length, 'line')}</summary>
              {tailOpen && (
                <pre>
                  <EscapedText text={tail.join('\n')} />
                </pre>
              )}
            </details>
          )}
        </td>
        <td className="server-actions">
          <div className="server-buttons">
            <label className="server-switch">
              <input
                type="checkbox"
                role="switch"
                aria-label={`${name} enabled`}
                checked={!disabled}
                disabled={busy}
                onChange={() => void toggle()}
              />
              Enabled
            </label>
            <button
              type="button"
              className="small secondary"
              ref={editButton}
              aria-label={`Edit ${name}`}
              aria-expanded={editing !== undefined}
              disabled={busy || editing !== undefined}
              onClick={() => void edit()}
            >
              Edit
            </button>
            <button
              type="button"
              className="small"
              aria-label={`Restart ${name}`}
              disabled={busy || disabled || !status}
              onClick={() => void act(() => api.restartServer({ name }))}
            >
              Restart
            </button>
            <ConfirmedAction
              verb="Remove"
              name={name}
              busy={busy}
              className="server-confirm"
              onConfirm={() => act(() => api.deleteServer({ name }))}
            />
          </div>
          {problem && (
            <p className="server-problem" role="alert">
              {problem}
            </p>
          )}
        </td>
      </tr>
      {editing && (
        <tr className="server-edit-row">
          <td colSpan={5}>
            <ServerForm
              api={api}
              mode={{ add: false, name, shown: editing }}
              onSaved={() => {
                closeEdit();
                onChanged();
              }}
              onCancel={closeEdit}
              onError={onError}
            />
          </td>
        </tr>
      )}
    </>
  );
}
