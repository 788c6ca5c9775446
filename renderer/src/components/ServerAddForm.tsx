// "Add a server": a name and either a command line (the program, then one argument per line) or a URL with optional
// headers. Checked before anything is sent (lib/server-form.ts); the gateway's refusal is shown next to the form. The
// form is emptied once the server is added, so headers typed here are never shown back.
import { useId, useState, type FormEvent } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import {
  EMPTY_SERVER_FORM,
  readServerForm,
  type FieldError,
  type ServerForm,
  type ServerFormField,
} from '../lib/server-form';

export interface ServerAddFormProps {
  api: GatehouseApi;
  onAdded: () => void;
  onError: (err: unknown) => void;
}

function refusalOf(err: unknown): string {
  const { status, message, body } = err as {
    status?: number;
    message: string;
    body?: { errors?: { path: string; message: string }[] };
  };
  const details = (body?.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  const text = [message, ...details].join(' — ');
  if (status === 409) return `${text}. Pick another name, or remove that server first.`;
  if (status === 400) return `The gateway refused it: ${text}`;
  return text;
}

export function ServerAddForm({ api, onAdded, onError }: ServerAddFormProps) {
  const id = useId();
  const [form, setForm] = useState<ServerForm>(EMPTY_SERVER_FORM);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [refusal, setRefusal] = useState<string>();
  const [sending, setSending] = useState(false);
  const [added, setAdded] = useState<string>();

  const set = (field: keyof ServerForm) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));
  const errorOf = (field: ServerFormField) => errors.find((e) => e.field === field)?.message;
  const described = (field: ServerFormField, hint?: boolean) => {
    const ids = [hint ? `${id}-${field}-hint` : '', errorOf(field) ? `${id}-${field}-error` : ''];
    return ids.filter(Boolean).join(' ') || undefined;
  };
  const fieldError = (field: ServerFormField) =>
    errorOf(field) && (
      <span className="field-error" id={`${id}-${field}-error`}>
        {errorOf(field)}
      </span>
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(undefined);
    setAdded(undefined);
    const result = readServerForm(form);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setSending(true);
    try {
      await api.addServer({ name: result.name, config: result.config });
      setForm({ ...EMPTY_SERVER_FORM, kind: form.kind });
      setAdded(result.name);
      onAdded();
    } catch (err) {
      setRefusal(refusalOf(err));
      onError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="server-add" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a server</h2>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            className="mono"
            value={form.name}
            onChange={set('name')}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errorOf('name') ? true : undefined}
            aria-describedby={described('name', true)}
          />
          <span className="field-hint muted" id={`${id}-name-hint`}>
            lowercase letters, digits and “-”; its tools are named <code>name__tool</code>
          </span>
          {fieldError('name')}
        </div>
        <fieldset className="field server-kind">
          <legend>Runs as</legend>
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={form.kind === 'command'}
              onChange={() => setForm((f) => ({ ...f, kind: 'command' }))}
            />
            A command (stdio)
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={form.kind === 'url'}
              onChange={() => setForm((f) => ({ ...f, kind: 'url' }))}
            />
            A URL (HTTP)
          </label>
        </fieldset>
        {form.kind === 'command' ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-command`}>Command</label>
              <input
                id={`${id}-command`}
                className="mono"
                value={form.command}
                onChange={set('command')}
                autoComplete="off"
                spellCheck={false}
                placeholder="npx"
                aria-invalid={errorOf('command') ? true : undefined}
                aria-describedby={described('command', true)}
              />
              <span className="field-hint muted" id={`${id}-command-hint`}>
                the program alone, kept whole
              </span>
              {fieldError('command')}
            </div>
            <div className="field">
              <label htmlFor={`${id}-args`}>Arguments</label>
              <textarea
                id={`${id}-args`}
                className="mono"
                rows={3}
                value={form.args}
                onChange={set('args')}
                spellCheck={false}
                placeholder={'-y\n@modelcontextprotocol/server-memory'}
                aria-describedby={described('args', true)}
              />
              <span className="field-hint muted" id={`${id}-args-hint`}>
                one argument per line, exactly as written (no quoting needed)
              </span>
              {fieldError('args')}
            </div>
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor={`${id}-url`}>URL</label>
              <input
                id={`${id}-url`}
                className="mono"
                type="url"
                value={form.url}
                onChange={set('url')}
                autoComplete="off"
                spellCheck={false}
                placeholder="https://example.com/mcp"
                aria-invalid={errorOf('url') ? true : undefined}
                aria-describedby={described('url')}
              />
              {fieldError('url')}
            </div>
            <div className="field">
              <label htmlFor={`${id}-headers`}>Headers (optional)</label>
              <textarea
                id={`${id}-headers`}
                className="mono"
                rows={2}
                value={form.headers}
                onChange={set('headers')}
                spellCheck={false}
                autoComplete="off"
                placeholder="Authorization: Bearer …"
                aria-invalid={errorOf('headers') ? true : undefined}
                aria-describedby={described('headers', true)}
              />
              <span className="field-hint muted" id={`${id}-headers-hint`}>
                one <code>Name: value</code> per line; kept in servers.json and never shown again
              </span>
              {fieldError('headers')}
            </div>
          </>
        )}
        <div className="server-add-actions">
          <button type="submit" className="approve" disabled={sending}>
            {sending ? 'Adding…' : 'Add server'}
          </button>
          <span role="status" aria-live="polite" className="muted">
            {added && (
              <>
                Added <strong className="mono">{added}</strong>: it starts in the list above.
              </>
            )}
          </span>
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
