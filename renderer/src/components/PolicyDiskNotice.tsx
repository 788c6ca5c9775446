// policy.json changed on disk while a draft was being edited: the draft is kept, and the user sees what changed on
// disk and chooses to drop the draft for the new text — or saves, which the gateway refuses (409) until then.
import { useMemo, useState } from 'react';
import { lineDiff } from '../lib/line-diff';
import { PolicyTextDiff } from './PolicyTextDiff';

export interface PolicyDiskNoticeProps {
  /** The text as it was read when the draft began. */
  readText: string;
  /** The text on disk now. */
  diskText: string;
  onDiscard: () => void;
}

export function PolicyDiskNotice({ readText, diskText, onDiscard }: PolicyDiskNoticeProps) {
  const [showing, setShowing] = useState(false);
  const diff = useMemo(() => lineDiff(readText, diskText), [readText, diskText]);
  return (
    <div className="policy-outcome is-warn" role="alert">
      <p>
        policy.json changed on disk since you opened it. Your draft is kept; saving it would be refused until
        you load the new text.
      </p>
      <div className="policy-notice-actions">
        <button
          type="button"
          className="secondary"
          aria-expanded={showing}
          onClick={() => setShowing(!showing)}
        >
          {showing ? 'Hide the change on disk' : 'Show the change on disk'}
        </button>
        <button type="button" onClick={onDiscard}>
          Discard my draft and load the new text
        </button>
      </div>
      {showing && <PolicyTextDiff diff={diff} label="Changes on disk" />}
    </div>
  );
}
