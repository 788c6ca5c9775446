// The server form: "Add a server" (a name, then a command line — the program, one argument per line, a folder and
// environment variables — or a URL with optional headers), and the same form prefilled to edit one server. Checked
// before anything is sent (lib/server-form.ts); the gateway's refusal is shown next to the form. Secrets come
// prefilled masked and stay so unless retyped: the gateway keeps what still shows the mask. An added server's form
// is emptied, so values typed there are never shown back.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import {
  EMPTY_SERVER_FORM,
  MASK,
  formOf,
  readServerForm,
  type FieldError,
  type ServerForm as ServerFormValues,
} from '../lib/server-form';

/** Add a server, or edit the one named, whose config the API showed as `shown`. */
type ServerFormMode = { add: true } | { add: false; name: string; shown: Record<string, unknown> };

export interface ServerFormProps {
  api: GatehouseApi;
  mode: ServerFormMode;
  onSaved: () => void;
  /** Closes an edit form without saving. */
  onCancel?: () => void;
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

const SECRETS_KEPT = `values shown as ${MASK} are kept as they are; type over one to change it`;

export function ServerForm({ api, mode, onSaved, onCancel, onError }: ServerFormProps) {
  const id = useId();
  const section = useRef<HTMLElement>(null);
  const editing = !mode.add;
  // An edit form opens where the user asked for it: the keyboard goes to its first field.
  useEffect(() => {
    if (editing) section.current?.querySelector<HTMLElement>('input:checked, input, textarea')?.focus();
  }, [editing]);
  const [form, setForm] = useState<ServerFormValues>(() =>
    mode.add ? EMPTY_SERVER_FORM : formOf(mode.name, mode.shown),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [refusal, setRefusal] = useState<string>();
  const [sending, setSending] = useState(false);
  const [added, setAdded] = useState<string>();
  const title = mode.add ? 'Add a server' : `Edit ${mode.name}`;

  const set = (field: keyof ServerFormValues) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  /** One labelled input or textarea, with its hint and its error tied to it. */
  const field = (
    key: keyof ServerFormValues & string,
    label: string,
    hint: ReactNode,
    input: { rows?: number; placeholder?: string; type?: string },
  ) => {
    const error = errors.find((e) => e.field === key)?.message;
    const props = {
      id: `${id}-${key}`,
      className: 'mono',
      value: form[key],
      onChange: set(key),
      spellCheck: false,
      autoComplete: 'off',
      placeholder: input.placeholder,
      'aria-invalid': error ? true : undefined,
      'aria-describedby':
        [hint ? `${id}-${key}-hint` : '', error ? `${id}-${key}-error` : ''].filter(Boolean).join(' ') ||
        undefined,
    };
    return (
      <div className="field">
        <label htmlFor={props.id}>{label}</label>
        {input.rows ? <textarea rows={input.rows} {...props} /> : <input type={input.type} {...props} />}
        {hint && (
          <span className="field-hint muted" id={`${id}-${key}-hint`}>
            {hint}
          </span>
        )}
        {error && (
          <span className="field-error" id={`${id}-${key}-error`}>
            {error}
          </span>
        )}
      </div>
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(undefined);
    setAdded(undefined);
    const result = readServerForm(form, mode.add ? {} : mode.shown);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setSending(true);
    try {
      if (mode.add) {
        await api.addServer({ name: result.name, config: result.config });
        setForm({ ...EMPTY_SERVER_FORM, kind: form.kind });
        setAdded(result.name);
      } else {
        await api.putServer({ name: mode.name, config: result.config });
      }
      onSaved();
    } catch (err) {
      setRefusal(refusalOf(err));
      onError(err);
    } finally {
      setSending(false);
    }
  };

  const kindChoice = (kind: ServerFormValues['kind'], label: string) => (
    <label>
      <input
        type="radio"
        name={`${id}-kind`}
        checked={form.kind === kind}
        onChange={() => setForm((f) => ({ ...f, kind }))}
      />
      {label}
    </label>
  );

  return (
    <section className="server-add" aria-labelledby={`${id}-title`} ref={section}>
      <h2 id={`${id}-title`}>{title}</h2>
      <form noValidate onSubmit={(event) => void submit(event)}>
        {mode.add &&
          field(
            'name',
            'Name',
            <>
              lowercase letters, digits and “-”; its tools are named <code>name__tool</code>
            </>,
            {},
          )}
        <fieldset className="field server-kind">
          <legend>Runs as</legend>
          {kindChoice('command', 'A command (stdio)')}
          {kindChoice('url', 'A URL (HTTP)')}
        </fieldset>
        {form.kind === 'command' ? (
          <>
            {field('command', 'Command', 'the program alone, kept whole', { placeholder: 'npx' })}
            {field('args', 'Arguments', 'one argument per line, exactly as written (no quoting needed)', {
              rows: 3,
              placeholder: '-y\n@modelcontextprotocol/server-memory',
            })}
            {field('cwd', 'Working folder (optional)', 'where it runs; empty for the gateway’s own folder', {
              placeholder: '/path/to/project',
            })}
            {field(
              'env',
              'Environment (optional)',
              <>
                one <code>NAME=value</code> per line; kept in servers.json and never shown again
                {!mode.add && `; ${SECRETS_KEPT}`}
              </>,
              { rows: 2, placeholder: 'API_KEY=…' },
            )}
          </>
        ) : (
          <>
            {field('url', 'URL', mode.add ? '' : SECRETS_KEPT, {
              type: 'url',
              placeholder: 'https://example.com/mcp',
            })}
            {field(
              'headers',
              'Headers (optional)',
              <>
                one <code>Name: value</code> per line; kept in servers.json and never shown again
                {!mode.add && `; ${SECRETS_KEPT}`}
              </>,
              { rows: 2, placeholder: 'Authorization: Bearer …' },
            )}
          </>
        )}
        <div className="server-add-actions">
          <button type="submit" className="approve" disabled={sending}>
            {mode.add ? (sending ? 'Adding…' : 'Add server') : sending ? 'Saving…' : 'Save changes'}
          </button>
          {onCancel && (
            <button type="button" className="secondary" onClick={onCancel}>
              Cancel
            </button>
          )}
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
