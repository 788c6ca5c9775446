// One key of settings.json: its name, what it does and its default in one sentence, its input, and the gateway's
// refusal of the value, if any, right under it.
import type { ReactNode } from 'react';

export interface SettingFieldProps {
  id: string;
  name: string;
  label: string;
  /** What the key does and its default, in one sentence. */
  about: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  /** A plain warning shown next to the input. */
  warning?: ReactNode;
}

export function SettingField({ id, name, label, about, error, children, warning }: SettingFieldProps) {
  return (
    <div className={`setting${error ? ' has-error' : ''}`} data-setting={name}>
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {label} <code>{name}</code>
        </label>
        <p className="setting-about muted" id={`${id}-about`}>
          {about}
        </p>
        {warning && (
          <p className="setting-warning" role="note">
            {warning}
          </p>
        )}
      </div>
      <div className="setting-input">
        {children}
        {error && (
          <span className="field-error" id={`${id}-error`} role="alert">
            {error}
          </span>
        )}
      </div>
    </div>
  );
}
