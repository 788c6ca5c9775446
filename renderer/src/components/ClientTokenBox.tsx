// A new grant's token, shown once: a clearly marked box with the token, a Copy button and ready-to-paste
// configurations for Cursor, VS Code and mcp-remote. Once dismissed, the token is dropped and never shown again —
// the gateway keeps only its hash.
import { useEffect, useRef, useState } from 'react';

export interface ClientTokenBoxProps {
  name: string;
  token: string;
  mcpUrl: string;
  onDismiss: () => void;
}

function snippetsOf(mcpUrl: string, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  return [
    {
      id: 'cursor',
      title: 'Cursor',
      file: '~/.cursor/mcp.json',
      text: JSON.stringify({ mcpServers: { gatehouse: { url: mcpUrl, headers } } }, null, 2),
    },
    {
      id: 'vscode',
      title: 'VS Code',
      file: '.vscode/mcp.json',
      text: JSON.stringify({ servers: { gatehouse: { type: 'http', url: mcpUrl, headers } } }, null, 2),
    },
    {
      id: 'mcp-remote',
      title: 'mcp-remote (any stdio client)',
      file: 'command line',
      text: `npx -y mcp-remote ${mcpUrl} --header "Authorization: Bearer ${token}"`,
    },
  ];
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="client-copy">
      <button type="button" className="small" aria-label={label} onClick={() => void copy()}>
        Copy
      </button>
      <span role="status" aria-live="polite" className={state === 'failed' ? 'field-error' : 'muted'}>
        {state === 'copied' && 'Copied'}
        {state === 'failed' && 'Could not copy: select the text and copy it by hand'}
      </span>
    </span>
  );
}

export function ClientTokenBox({ name, token, mcpUrl, onDismiss }: ClientTokenBoxProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="client-token" aria-labelledby="client-token-title" data-testid="token-box">
      <h2 id="client-token-title" ref={headingRef} tabIndex={-1}>
        The token of <span className="mono">{name}</span> — shown only now
      </h2>
      <p className="client-token-warning">
        Copy it now: Gatehouse keeps only its hash, so once this box is closed the token cannot be shown
        again. Lost it? Revoke the grant and create a new one.
      </p>
      <div className="client-token-value">
        <code className="mono" data-testid="token">
          {token}
        </code>
        <CopyButton text={token} label="Copy the token" />
      </div>
      {snippetsOf(mcpUrl, token).map((s) => (
        <div className="client-snippet" key={s.id}>
          <div className="client-snippet-head">
            <h3>
              {s.title} <span className="muted mono">{s.file}</span>
            </h3>
            <CopyButton text={s.text} label={`Copy the ${s.title} configuration`} />
          </div>
          <pre className="mono" data-testid={`snippet-${s.id}`}>
            {s.text}
          </pre>
        </div>
      ))}
      <button type="button" className="approve" onClick={onDismiss}>
        I have copied it — hide the token
      </button>
    </section>
  );
}
