// A segmented three- or four-way choice drawn over native radio buttons: one tab stop, arrow keys move the choice,
// and a screen reader hears "Action for echo, radio group" and each word.
import { memo } from 'react';

export interface Choice<T extends string> {
  value: T;
  word: string;
}

export interface ToolActionControlProps<T extends string> {
  /** The group's accessible name, e.g. "Action for echo". */
  label: string;
  /** The radios' shared form name; unique on the page. */
  name: string;
  choices: readonly Choice<T>[];
  value: T | undefined;
  /** The id of a note that says more about the choice. */
  describedBy?: string | undefined;
  disabled: boolean;
  onChoose: (value: T) => void;
}

function ToolActionControlInner<T extends string>({
  label,
  name,
  choices,
  value,
  describedBy,
  disabled,
  onChoose,
}: ToolActionControlProps<T>) {
  return (
    <div role="radiogroup" aria-label={label} aria-describedby={describedBy} className="segmented">
      {choices.map((choice) => (
        <label key={choice.value} className="segment" data-value={choice.value}>
          <input
            type="radio"
            name={name}
            value={choice.value}
            checked={choice.value === value}
            disabled={disabled}
            onChange={() => onChoose(choice.value)}
          />
          <span>{choice.word}</span>
        </label>
      ))}
    </div>
  );
}

export const ToolActionControl = memo(ToolActionControlInner) as typeof ToolActionControlInner;
