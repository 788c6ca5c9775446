// A tool's definition against its pin, in the opened row: pinned as listed, not pinned yet, or changed — then the line
// diff of its description and schemas from the pinned definition to the listed one. A changed definition stays held
// (or refused, by settings.json pinChange) until a person accepts it here or approves a call it held.
import { useEffect, useMemo, useState } from 'react';
import type { GatehouseApi, OperationOutput, ToolInfo } from '../../../shared/api/operations';
import { lineDiff } from '../lib/line-diff';
import { definitionText, type PinState } from '../lib/tool-pins';
import { PolicyTextDiff } from './PolicyTextDiff';

export interface PinReviewProps {
  api: GatehouseApi;
  tool: ToolInfo;
  /** The tool's mark in the list: when it changes (a definition changed or accepted), the pin is read again. */
  mark: PinState | undefined;
}

export function PinReview({ api, tool, mark }: PinReviewProps) {
  const [review, setReview] = useState<OperationOutput<'getToolPin'>>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    api.getToolPin({ server: tool.server, tool: tool.tool }).then(
      (answer) => current && setReview(answer),
      (err: unknown) => current && setError((err as Error).message),
    );
    return () => {
      current = false;
    };
  }, [api, tool.server, tool.tool, mark]);
  const diff = useMemo(
    () =>
      review?.pinned && review.state === 'changed'
        ? lineDiff(definitionText(review.pinned), definitionText(review.current))
        : [],
    [review],
  );
  if (error) return <p className="muted">The pin could not be read: {error}</p>;
  if (!review) return <p className="muted">Reading the pin…</p>;
  if (review.state === 'pinned')
    return <p>Pinned: the server lists the definition Gatehouse pinned when it first saw this tool.</p>;
  if (review.state === 'unpinned') return <p>Not pinned yet: it is pinned when its server lists it.</p>;
  const accept = () =>
    void api
      .acceptToolPin({ server: tool.server, tool: tool.tool })
      .then(setReview, (err: unknown) => setError((err as Error).message));
  return (
    <div className="pin-review">
      {review.state === 'renamed' ? (
        <p className="pin-changed">
          Renamed: its server no longer lists “{review.renamedFrom}”, whose very definition this is — rules
          written for that name no longer match it. Its calls are held for a person (or refused, by the
          pinChange setting) until you accept the new name here, or approve a held call in Approvals.
        </p>
      ) : (
        <>
          <p className="pin-changed">
            Changed since it was pinned: its calls are held for a person (or refused, by the pinChange
            setting). Accept the new definition here, or approve a held call in Approvals; until then the pin
            stays.
          </p>
          <PolicyTextDiff diff={diff} label={`Definition of ${tool.tool}: pinned → listed now`} />
        </>
      )}
      <button type="button" className="small" onClick={accept}>
        {review.state === 'renamed' ? 'Accept the new name' : 'Accept the new definition'}
      </button>
    </div>
  );
}
