// One MCP client in the Connect view: where its config is and what state it is in, the options of connect, the
// preview of the change, and the Connect and Undo buttons. Connect sends the preview's hash: a config changed since
// the preview is refused, and the preview is read again.
import { useState } from 'react';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';
import { ConnectPreview } from './ConnectPreview';

type ClientConfig = OperationOutput<'listClientConfigs'>['clients'][number];
type Preview = OperationOutput<'previewConnect'>;

export interface ConnectClientCardProps {
  api: GatehouseApi;
  client: ClientConfig;
  /** The starting policy proposed with connect (policy.json is still the starter). */
  startingPolicy: boolean;
  onChanged: () => void;
  onError: (err: unknown) => void;
}

function stateOf(client: ClientConfig): { word: string; tone: string } {
  if (!client.found) return { word: 'config not found', tone: 'neutral' };
  if (client.problem) return { word: 'cannot be read', tone: 'error' };
  if (client.connected && client.bypassing.length > 0)
    return { word: 'connected, with bypasses', tone: 'warn' };
  if (client.connected) return { word: 'connected', tone: 'ok' };
  return { word: 'not connected', tone: 'deny' };
}

export function ConnectClientCard({
  api,
  client,
  startingPolicy,
  onChanged,
  onError,
}: ConnectClientCardProps) {
  const [perServer, setPerServer] = useState(false);
  const [importServers, setImportServers] = useState(true);
  const [bridge, setBridge] = useState(false);
  const [writePolicy, setWritePolicy] = useState(true);
  const [preview, setPreview] = useState<Preview>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const claude = client.name === 'claude';
  const options = { client: client.name, perServer, noImport: !importServers, bridge };
  const state = stateOf(client);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      await work();
    } catch (err) {
      setProblem((err as Error).message);
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  const showPreview = () => run(async () => setPreview(await api.previewConnect(options)));
  const connect = (shown: Preview) =>
    run(async () => {
      try {
        const result = await api.connectClient({
          ...options,
          ifUnchanged: shown.hash,
          startingPolicy: startingPolicy && writePolicy,
        });
        setPreview(undefined);
        setDone(
          [
            `Connected ${client.label}.`,
            result.imported.length > 0 ? `Imported: ${result.imported.join(', ')}.` : '',
            result.policyWritten ? 'The starting policy is written.' : '',
            claude ? 'Now start Claude Desktop again.' : '',
          ]
            .filter(Boolean)
            .join(' '),
        );
      } catch (err) {
        // The config changed since the preview: show the change as it would be now.
        if ((err as { status?: number }).status === 409) setPreview(await api.previewConnect(options));
        throw err;
      } finally {
        onChanged();
      }
    });
  const undo = () =>
    run(async () => {
      try {
        const result = await api.undoConnect({ client: client.name });
        setPreview(undefined);
        setDone(
          `Restored ${client.configPath} from ${result.backup}.${result.revokedGrant ? ` The grant “${result.revokedGrant}” is revoked.` : ''} The imported servers stay in Gatehouse.${claude ? ' Start Claude Desktop again to use it.' : ''}`,
        );
      } finally {
        onChanged();
      }
    });
  const option = (change: () => void) => () => {
    change();
    setPreview(undefined);
  };

  return (
    <section className="connect-card" aria-label={client.label} data-client={client.name}>
      <header className="connect-card-head">
        <h2>{client.label}</h2>
        <span className={`badge tone-${state.tone}`}>{state.word}</span>
      </header>
      <p className="connect-path">
        <code>{client.configPath}</code>
      </p>
      <details className="connect-os-paths">
        <summary>Where {client.label} keeps it on each OS</summary>
        <ul>
          <li>
            macOS: <code>{client.paths.darwin}</code>
          </li>
          <li>
            Windows: <code>{client.paths.win32}</code>
          </li>
          <li>
            Linux: <code>{client.paths.linux}</code>
          </li>
        </ul>
      </details>
      {client.problem && <p className="error-banner">{client.problem}</p>}
      {client.bypassing.length > 0 && (
        <p className="connect-bypass">
          <strong>Bypassing Gatehouse:</strong> {client.bypassing.join(', ')}
        </p>
      )}
      {client.connected && client.bypassing.length === 0 && (
        <p className="muted">
          Every server of this config goes through Gatehouse ({client.entries.join(', ')}).
        </p>
      )}
      {!client.found && (
        <p className="muted">
          {client.label} has no config here yet{claude ? '' : ' (connect creates it when its folder exists)'}.
        </p>
      )}
      {claude && !preview?.changed && (
        <p className="connect-note">
          Quit Claude Desktop before you connect or undo (it rewrites its config while it runs), and start it
          again after.
        </p>
      )}
      {client.found && (
        <fieldset className="connect-options" disabled={busy}>
          <legend className="visually-hidden">Options for {client.label}</legend>
          <label>
            <input type="radio" checked={!perServer} onChange={option(() => setPerServer(false))} /> One
            Gatehouse entry for all servers
          </label>
          <label>
            <input type="radio" checked={perServer} onChange={option(() => setPerServer(true))} /> One entry
            per server (names kept)
          </label>
          <label>
            <input
              type="checkbox"
              checked={importServers}
              onChange={option(() => setImportServers((v) => !v))}
            />{' '}
            Bring its servers into Gatehouse
          </label>
          {client.takesUrl && (
            <label>
              <input type="checkbox" checked={bridge} onChange={option(() => setBridge((v) => !v))} /> The
              bridge command instead of a URL (no token in its config)
            </label>
          )}
          {!importServers && (
            <p className="connect-warning" role="note">
              Its servers stay in {client.label}&apos;s config and are not protected: their calls bypass
              Gatehouse.
            </p>
          )}
        </fieldset>
      )}
      <div className="connect-actions">
        <button type="button" onClick={() => void showPreview()} disabled={busy}>
          Preview the change
        </button>
        {client.canUndo && (
          <button type="button" className="secondary" onClick={() => void undo()} disabled={busy}>
            Undo connect
          </button>
        )}
      </div>
      {problem && (
        <p className="error-banner" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="connect-done" role="status">
          {done}
        </p>
      )}
      {preview && (
        <>
          <ConnectPreview preview={preview} label={client.label} />
          {preview.changed && (
            <div className="connect-actions">
              {startingPolicy && preview.startingPolicy && (
                <label>
                  <input type="checkbox" checked={writePolicy} onChange={() => setWritePolicy((v) => !v)} />{' '}
                  Also write the starting policy (allow reads, ask for the rest)
                </label>
              )}
              <button type="button" className="approve" onClick={() => void connect(preview)} disabled={busy}>
                Connect {client.label}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
