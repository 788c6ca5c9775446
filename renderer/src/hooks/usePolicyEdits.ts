// The Tools view's edits of policy.json: the text is read when the view opens and after each edit, and every edit
// carries that read's ETag, so a file changed meanwhile (on disk, or by anyone else) is never overwritten — the
// gateway answers 409, the view says so and reads the file again. After each edit, Undo puts back the previous text
// byte for byte, again only if nothing changed since.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError, type GatehouseApi } from '../../../shared/api/operations';
import type { PolicySource } from '../../../shared/api/policy-shapes';
import type { PathEdit } from '../lib/policy-edits';
import { teamPolicyReason } from '../lib/team-policy';

interface PolicyRead {
  text: string;
  etag: string;
  /** The parsed policy; undefined when the text is not JSON (the gateway keeps the last good policy then). */
  json: unknown;
  /** Team mode: the policy comes from the team's URL, and no edit is made here. */
  source?: PolicySource;
}

interface PolicyMessage {
  kind: 'saved' | 'conflict' | 'error';
  text: string;
}

export interface EditOutcome {
  saved: boolean;
  /** The gateway's reasons for refusing an invalid edit, each with its JSON path. */
  errors: string[];
}

const SAVED: EditOutcome = { saved: true, errors: [] };
const NOT_SAVED: EditOutcome = { saved: false, errors: [] };

export interface PolicyEdits {
  policy: PolicyRead | undefined;
  busy: boolean;
  message: PolicyMessage | undefined;
  canUndo: boolean;
  /**
   * `build` turns the policy as last read into the one path to set, at the moment of the edit. Resolves with whether
   * it was saved and, when the gateway refused it as invalid, each error (for the form that made it).
   */
  edit: (label: string, build: (policy: unknown) => PathEdit) => Promise<EditOutcome>;
  /** Several edits at once, made for the text whose ETag is `ifMatch` (a recommendation): refused (409) if it moved. */
  apply: (label: string, set: readonly PathEdit[], ifMatch: string) => Promise<EditOutcome>;
  undo: () => void;
  dismiss: () => void;
}

const CONFLICT_MESSAGE = 'policy.json changed since you opened it — reloaded; make your change again';

interface UndoEntry {
  previousText: string;
  etagAfterEdit: string;
  label: string;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function usePolicyEdits(api: GatehouseApi, onChanged: () => void): PolicyEdits {
  const [policy, setPolicy] = useState<PolicyRead>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<PolicyMessage>();
  const [undoEntry, setUndoEntry] = useState<UndoEntry>();
  const policyRef = useRef<PolicyRead | undefined>(undefined);
  const busyRef = useRef(false);

  const read = useCallback(async () => {
    const { text, etag, source } = await api.getPolicy({});
    const next = { text, etag, json: parsed(text), ...(source ? { source } : {}) };
    policyRef.current = next;
    setPolicy(next);
    return next;
  }, [api]);

  useEffect(() => {
    read().catch((err: unknown) =>
      setMessage({ kind: 'error', text: `policy.json could not be read: ${(err as Error).message}` }),
    );
  }, [read]);

  // While one edit is on its way, further choices are ignored rather than the controls disabled: disabling would
  // take the keyboard focus away and re-render every row of a long list twice per edit.
  const run = useCallback(
    async (work: () => Promise<void>): Promise<EditOutcome> => {
      if (busyRef.current) return NOT_SAVED;
      const source = policyRef.current?.source;
      if (source) {
        setMessage({ kind: 'error', text: `${teamPolicyReason(source)}.` });
        return NOT_SAVED;
      }
      busyRef.current = true;
      setBusy(true);
      try {
        await work();
        return SAVED;
      } catch (err: unknown) {
        setUndoEntry(undefined);
        if (err instanceof ApiRequestError && err.status === 409) {
          setMessage({ kind: 'conflict', text: CONFLICT_MESSAGE });
        } else {
          setMessage({ kind: 'error', text: `The change was not saved: ${(err as Error).message}` });
        }
        await read().catch(() => undefined);
        onChanged();
        const problems = err instanceof ApiRequestError ? (err.body.errors ?? []) : [];
        return { saved: false, errors: problems.map((p) => `${p.path}: ${p.message}`) };
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [read, onChanged],
  );

  /** Sends the edits with `ifMatch`; Undo then puts back `before`'s text. */
  const patch = useCallback(
    async (label: string, before: PolicyRead, set: PathEdit[], ifMatch: string) => {
      const { etag } = await api.patchPolicy({ set, ifMatch });
      setUndoEntry({ previousText: before.text, etagAfterEdit: etag, label });
      setMessage({ kind: 'saved', text: `Saved: ${label}.` });
      // The list reloads on the gateway's own `policy` event; reloading it here as well would read it twice.
      await read();
    },
    [api, read],
  );

  const edit = useCallback(
    (label: string, build: (policy: unknown) => PathEdit) =>
      run(async () => {
        const before = policyRef.current ?? (await read());
        await patch(label, before, [build(before.json)], before.etag);
      }),
    [run, read, patch],
  );

  const apply = useCallback(
    (label: string, set: readonly PathEdit[], ifMatch: string) =>
      run(async () => {
        // The text Undo restores must be the one the edits were made for; a newer read that differs is refused anyway.
        const known = policyRef.current;
        const before = known?.etag === ifMatch ? known : await read();
        await patch(label, before, [...set], ifMatch);
      }),
    [run, read, patch],
  );

  const undo = useCallback(
    () =>
      run(async () => {
        if (!undoEntry) return;
        await api.putPolicy({ text: undoEntry.previousText, ifMatch: undoEntry.etagAfterEdit });
        setUndoEntry(undefined);
        setMessage({ kind: 'saved', text: `Undone: ${undoEntry.label}.` });
        await read();
      }),
    [api, run, read, onChanged, undoEntry],
  );

  const dismiss = useCallback(() => setMessage(undefined), []);

  return { policy, busy, message, canUndo: undoEntry !== undefined, edit, apply, undo, dismiss };
}
