// The first-run screen of Live calls, while Gatehouse has no server and policy.json is still the starter (every call
// asks): connect a client, choose the starting policy ("allow reads, ask for the rest", as `gatehouse connect`
// proposes), then watch the calls arrive.
import { useState } from 'react';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';

type StartingPolicy = NonNullable<OperationOutput<'listClientConfigs'>['startingPolicy']>;

export interface FirstRunGuideProps {
  api: GatehouseApi;
  /** The starting policy, while policy.json is still the starter. */
  startingPolicy: StartingPolicy | undefined;
  mcpUrl: string;
  onChanged: () => void;
  onError: (err: unknown) => void;
}

export function FirstRunGuide({ api, startingPolicy, mcpUrl, onChanged, onError }: FirstRunGuideProps) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [written, setWritten] = useState(false);
  const writePolicy = async (policy: StartingPolicy) => {
    setBusy(true);
    setProblem(undefined);
    try {
      // Written only over the starter read just now: If-Match refuses it if the file changed meanwhile.
      const current = await api.getPolicy({});
      await api.putPolicy({ text: policy.text, ifMatch: current.etag });
      setWritten(true);
      onChanged();
    } catch (err) {
      setProblem((err as Error).message);
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="empty-state first-run" aria-label="Get started">
      <h2>Get started with Gatehouse</h2>
      <p>Gatehouse has no servers yet, and every call would ask you. Three steps, about a minute:</p>
      <ol>
        <li>
          <strong>Connect a client.</strong> <a href="#connect">Open Connect</a>: pick Claude Desktop, Cursor,
          VS Code or Claude Code, see what changes in its config, and connect — its servers move into
          Gatehouse, and the original config is kept for Undo. (Or point any MCP client at{' '}
          <code>{mcpUrl}</code> with a grant&apos;s token.)
        </li>
        <li>
          <strong>Choose a starting policy.</strong>{' '}
          {written ? (
            <span role="status">Written: reads are allowed, everything else asks you.</span>
          ) : startingPolicy ? (
            <>
              Allow tools whose names say they read (
              {startingPolicy.allowed.filter((g) => g.endsWith('_*')).join(' ')}
              …), and ask for everything else.{' '}
              <button
                type="button"
                className="small"
                disabled={busy}
                onClick={() => void writePolicy(startingPolicy)}
              >
                Use this policy
              </button>{' '}
              <span className="muted">
                Change it any time in <a href="#tools">Tools</a> or <a href="#policy">Policy</a>.
              </span>
            </>
          ) : (
            <span>
              Your policy.json is already your own: see <a href="#policy">Policy</a>.
            </span>
          )}
        </li>
        <li>
          <strong>Watch calls arrive.</strong> Ask the agent to use a tool: the call shows up here — allowed,
          denied, rate-limited, or waiting for you in <a href="#approvals">Approvals</a>.
        </li>
      </ol>
      {problem && (
        <p className="error-banner" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
