// Policy: policy.json as text in a monospace editor with the version in force. The draft is checked as it is typed
// (errors and rules that can never decide, listed above the editor; a click moves the caret there). "Review changes"
// shows the line diff against the file as it was read, and "Save" replaces the file (PUT /api/policy with the ETag as
// read). "What would this change?" replays the draft over the recorded calls first. The gateway refuses an invalid
// text with each error's path, line and column and keeps the policy in force. A file changed on disk reloads the
// view when there is no draft, and never overwrites one: the user chooses, and a save meanwhile is refused (409)
// without overwriting the file.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import { ApiRequestError } from '../../../shared/api/operations';
import { PolicyCheckNotes } from '../components/PolicyCheckNotes';
import { PolicyDiskNotice } from '../components/PolicyDiskNotice';
import { PolicySourceNotice } from '../components/PolicySourceNotice';
import { PolicyTextDiff } from '../components/PolicyTextDiff';
import { PolicyTextErrors, type PolicyTextError } from '../components/PolicyTextErrors';
import { SimulationPanel } from '../components/SimulationPanel';
import type { EventStream } from '../hooks/useEventStream';
import { usePolicyCheck } from '../hooks/usePolicyCheck';
import { usePolicyFile } from '../hooks/usePolicyFile';
import { hasChanges, lineDiff } from '../lib/line-diff';
import { plural } from '../lib/format';

export interface PolicyViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

type Outcome =
  | { kind: 'saved'; version: string }
  | { kind: 'invalid'; summary: string; errors: PolicyTextError[] }
  | { kind: 'conflict' }
  | { kind: 'failed'; message: string };

/** The offset in `text` of `line` and `column` (both 1-based), clamped to the text. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset);
  return Math.min(offset + Math.max(column - 1, 0), end < 0 ? text.length : end);
}

export function PolicyView({ api, events, onError }: PolicyViewProps) {
  const file = usePolicyFile(api, events, onError);
  const { read, readError, draft, load } = file;
  const [reviewing, setReviewing] = useState(false);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const editor = useRef<HTMLTextAreaElement>(null);
  const check = usePolicyCheck(api, read ? draft : undefined);
  // What the last save said is about a file that has since changed on disk.
  useEffect(() => {
    if (file.reloaded) setOutcome(undefined);
  }, [file.reloaded]);

  const diff = useMemo(() => lineDiff(read?.text ?? '', draft), [read, draft]);
  const changed = hasChanges(diff);
  const errorCount = check?.errors.length ?? 0;
  const blocked = errorCount > 0 ? `Cannot save: ${plural(errorCount, 'error')} above` : '';
  const source = read?.source;

  const goTo = (line: number, column: number) => {
    const el = editor.current;
    if (!el) return;
    setReviewing(false);
    const at = offsetOf(el.value, line, column);
    el.focus();
    el.setSelectionRange(at, at);
    // Bring the line into view: the editor's line height times the lines above it.
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  const save = () => {
    if (!read) return;
    setSending(true);
    setOutcome(undefined);
    api
      .putPolicy({ text: draft, ifMatch: read.etag })
      .then(
        async ({ version }) => {
          await load();
          setReviewing(false);
          setOutcome({ kind: 'saved', version });
        },
        (err: unknown) => {
          setReviewing(false);
          if (err instanceof ApiRequestError && err.status === 400) {
            setOutcome({ kind: 'invalid', summary: err.message, errors: err.body.errors ?? [] });
          } else if (err instanceof ApiRequestError && err.status === 409) {
            setOutcome({ kind: 'conflict' });
          } else {
            setOutcome({ kind: 'failed', message: (err as Error).message });
            onError(err);
          }
        },
      )
      .finally(() => setSending(false));
  };

  const reloadFromDisk = () => {
    setOutcome(undefined);
    setReviewing(false);
    void load();
  };

  const discard = () => {
    file.discard();
    setOutcome(undefined);
    setReviewing(false);
  };

  return (
    <div className="view policy-view">
      <div className="view-head">
        <h1>Policy</h1>
        <p className="muted">
          {source ? "the team's policy, from its URL" : 'policy.json in the Gatehouse home'}
          {read && (
            <>
              {' · '}
              <span data-testid="policy-version">
                version <code>{read.version}</code> in force
              </span>
            </>
          )}
        </p>
      </div>
      {readError && (
        <p className="error-banner" role="alert">
          The policy could not be read: {readError}
        </p>
      )}
      <div data-testid="policy-status" aria-live="polite">
        {source && <PolicySourceNotice source={source} />}
        {file.reloaded && <p className="policy-outcome is-ok">Reloaded: policy.json changed on disk</p>}
        {read && file.onDisk && (
          <PolicyDiskNotice readText={read.text} diskText={file.onDisk.text} onDiscard={discard} />
        )}
        {outcome?.kind === 'saved' && (
          <p className="policy-outcome is-ok">Saved — version {outcome.version} in force</p>
        )}
        {outcome?.kind === 'invalid' && (
          <div className="policy-outcome is-error" role="alert">
            <p>
              Not saved: {outcome.summary}. The file is unchanged and the policy in force stays as it was
              {read ? ` (version ${read.version})` : ''}.
            </p>
            <PolicyTextErrors errors={outcome.errors} onGoTo={goTo} />
          </div>
        )}
        {outcome?.kind === 'conflict' && (
          <div className="policy-outcome is-warn" role="alert">
            <p>
              Not saved: policy.json changed on disk since it was read here. Nothing was overwritten. Load the
              file as it is now (your edits here are dropped), then make them again.
            </p>
            <button type="button" onClick={reloadFromDisk}>
              Load the file as it is now
            </button>
          </div>
        )}
        {outcome?.kind === 'failed' && (
          <p className="policy-outcome is-error" role="alert">
            Not saved: {outcome.message}
          </p>
        )}
      </div>
      {read && (
        <>
          <PolicyCheckNotes check={check} errorsShown={outcome?.kind === 'invalid'} onGoTo={goTo} />
          {source === undefined && (
            <div className="policy-actions">
              {reviewing ? (
                <>
                  <button
                    type="button"
                    onClick={save}
                    disabled={sending || !changed || blocked !== ''}
                    aria-describedby="policy-save-state"
                  >
                    {sending ? 'Saving…' : 'Save'}
                  </button>
                  <button type="button" className="secondary" onClick={() => setReviewing(false)}>
                    Back to editing
                  </button>
                </>
              ) : (
                <>
                  <button
                    type="button"
                    onClick={() => setReviewing(true)}
                    disabled={!changed || blocked !== ''}
                    aria-describedby="policy-save-state"
                  >
                    Review changes
                  </button>
                  <button type="button" className="secondary" onClick={discard} disabled={!changed}>
                    Discard edits
                  </button>
                </>
              )}
              <span id="policy-save-state" className={blocked ? 'policy-blocked' : 'muted'}>
                {blocked || (changed ? 'Edited, not saved' : 'As in the file')}
              </span>
            </div>
          )}
          {reviewing && <PolicyTextDiff diff={diff} />}
          {changed && blocked === '' && <SimulationPanel api={api} text={draft} subject="this draft" />}
          <textarea
            ref={editor}
            className="policy-editor"
            aria-label="policy.json"
            readOnly={source !== undefined}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            value={draft}
            hidden={reviewing}
            onChange={(e) => {
              file.edit(e.target.value);
              if (outcome?.kind === 'saved' || outcome?.kind === 'invalid') setOutcome(undefined);
            }}
          />
        </>
      )}
    </div>
  );
}
