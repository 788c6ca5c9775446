// A form control with its label above it, tied by id (a label wrapping a select would take in the options' words).
import type { ReactNode } from 'react';

export interface LabeledFieldProps {
  id: string;
  label: string;
  className?: string | undefined;
  /** The control, with `id` as its id. */
  children: ReactNode;
}

export function LabeledField({ id, label, className, children }: LabeledFieldProps) {
  return (
    <div className={className === undefined ? 'field' : `field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}
