// The buttons of a rule part's form (a limit, an argument rule): submit, and Remove when the part is saved.
export function RuleButtons({
  submitWord,
  onRemove,
}: {
  submitWord: string;
  onRemove?: (() => void) | undefined;
}) {
  return (
    <div className="rule-buttons">
      <button type="submit" className="small">
        {submitWord}
      </button>
      {onRemove && (
        <button type="button" className="small" onClick={onRemove}>
          Remove
        </button>
      )}
    </div>
  );
}
