// "Create a grant": a name, checked against the gateway's rule before it is sent; the gateway's refusal (409: the name
// is taken) shown next to the form. The new token goes up to the view, which shows it once.
import { useId, useState, type FormEvent } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';

export interface ClientAddFormProps {
  api: GatehouseApi;
  onCreated: (grant: { name: string; token: string }) => void;
  onError: (err: unknown) => void;
}

// The rule of electron/gateway/grants/store.ts (GRANT_NAME_PATTERN), checked here before anything is sent.
const GRANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const RULE = 'letters, digits, “_”, “.” and “-”, starting with a letter or digit; at most 64 characters';

function refusalOf(err: unknown): string {
  const { status, message } = err as { status?: number; message: string };
  if (status === 409) return `${message}. Pick another name, or revoke that grant first.`;
  if (status === 400) return `The gateway refused it: ${message}`;
  return message;
}

export function ClientAddForm({ api, onCreated, onError }: ClientAddFormProps) {
  const id = useId();
  const [name, setName] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [sending, setSending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(undefined);
    const wanted = name.trim();
    if (!GRANT_NAME.test(wanted)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setSending(true);
    try {
      const created = await api.addGrant({ name: wanted });
      setName('');
      onCreated(created);
    } catch (err) {
      setRefusal(refusalOf(err));
      onError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="server-add client-add" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a grant</h2>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Client name</label>
          <input
            id={`${id}-name`}
            className="mono"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="cursor-laptop"
            aria-invalid={invalid ? true : undefined}
            aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ''}`}
          />
          <span className="field-hint muted" id={`${id}-hint`}>
            {RULE}; it names the client in the call log and in policy overlays
          </span>
          {invalid && (
            <span className="field-error" id={`${id}-error`} role="alert">
              Not a valid name: use {RULE}.
            </span>
          )}
        </div>
        <div className="server-add-actions">
          <button type="submit" className="approve" disabled={sending}>
            {sending ? 'Creating…' : 'Create grant'}
          </button>
        </div>
        {refusal && (
          <p className="error-banner" role="alert">
            {refusal}
          </p>
        )}
      </form>
    </section>
  );
}
