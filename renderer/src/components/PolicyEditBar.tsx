// What the last edit of policy.json did — saved, refused because the file changed meanwhile, or failed — with Undo.
import type { PolicyEdits } from '../hooks/usePolicyEdits';

export function PolicyEditBar({ edits }: { edits: PolicyEdits }) {
  const { message, canUndo, busy, undo, dismiss } = edits;
  if (!message) return null;
  const alert = message.kind !== 'saved';
  return (
    <div className={`policy-edit-bar is-${message.kind}`} role={alert ? 'alert' : 'status'}>
      <span>{message.text}</span>
      {canUndo && (
        <button type="button" className="small" disabled={busy} onClick={undo}>
          Undo
        </button>
      )}
      <button type="button" className="small quiet" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
