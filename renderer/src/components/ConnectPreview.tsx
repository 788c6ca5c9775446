// What connecting one client would change, before anything is written: where each of its servers goes, what stays
// unprotected, the entries Gatehouse writes, and the diff of the config file — every secret masked by the gateway.
import type { OperationOutput } from '../../../shared/api/operations';

type Preview = OperationOutput<'previewConnect'>;

function entryText(entry: Record<string, unknown>): string {
  if (typeof entry.url === 'string') return entry.url;
  const args = Array.isArray(entry.args) ? (entry.args as unknown[]).map(String) : [];
  return [String(entry.command), ...args].map((w) => (/\s/.test(w) ? `"${w}"` : w)).join(' ');
}

function DiffText({ diff }: { diff: string }) {
  return (
    <pre className="connect-diff" aria-label="Changes to the config file">
      {diff.split('\n').map((line, i) => {
        const kind = line.startsWith('+++') || line.startsWith('---') ? 'head' : line[0];
        const cls = kind === '+' ? 'diff-add' : kind === '-' ? 'diff-del' : kind === '@' ? 'diff-hunk' : '';
        return (
          <span key={i} className={cls}>
            {line}
          </span>
        );
      })}
    </pre>
  );
}

export function ConnectPreview({ preview, label }: { preview: Preview; label: string }) {
  if (!preview.changed) {
    return (
      <p className="connect-note" role="status">
        Already connected: nothing to change
        {preview.present.length > 0 ? ` (Gatehouse's entries: ${preview.present.join(', ')})` : ''}.
      </p>
    );
  }
  return (
    <div className="connect-preview" aria-label={`What connecting ${label} changes`}>
      {preview.imports.length > 0 && (
        <>
          <h4>Into Gatehouse (servers.json), protected from now on</h4>
          <ul className="connect-moves">
            {preview.imports.map((s) => (
              <li key={s.clientName}>
                <strong>{s.clientName}</strong>
                {s.name !== s.clientName && (
                  <>
                    {' '}
                    → <strong>{s.name}</strong> <span className="muted">({s.renamed})</span>
                  </>
                )}
                {s.reused ? (
                  <span className="muted"> — already there, the same server</span>
                ) : (
                  <code className="connect-command">{entryText(s.config)}</code>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.added.length > 0 && (
        <>
          <h4>Written into {label}&apos;s config</h4>
          <ul className="connect-moves">
            {preview.added.map((a) => (
              <li key={a.name}>
                <strong>{a.name}</strong>
                {a.server ? <span className="muted"> (only the server {a.server})</span> : null}
                <code className="connect-command">{entryText(a.entry)}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.newGrant && (
        <p className="muted">
          A new grant “{preview.newGrant}” is created; its token goes only into this config.
        </p>
      )}
      {preview.warnings.length > 0 && (
        <ul className="connect-warnings" aria-label="Warnings">
          {preview.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <details className="connect-diff-box" open>
        <summary>The change to {preview.configPath}</summary>
        <DiffText diff={preview.diff} />
      </details>
      <p className="muted">The original is kept beside it as a backup; Undo puts it back byte for byte.</p>
    </div>
  );
}
