// The live-calls filters: status, server, tool, client and free text. Text fields apply after a short pause in typing.
import { useEffect, useState, type ReactNode } from 'react';
import { STATUS_FILTERS } from '../lib/call-status';
import { NO_FILTERS, hasFilters, type CallFilters as Filters } from '../lib/call-filters';

const TEXT_FIELDS: { key: Exclude<keyof Filters, 'status'>; label: string; placeholder: string }[] = [
  { key: 'q', label: 'Search', placeholder: 'tool, reason, argument text…' },
  { key: 'server', label: 'Server', placeholder: 'exact name' },
  { key: 'tool', label: 'Tool', placeholder: 'exact name' },
  { key: 'grant', label: 'Client', placeholder: 'grant name' },
];

export interface CallFiltersProps {
  value: Filters;
  onChange: (next: Filters) => void;
  /** Actions on the applied filters (export), at the bar's end. */
  children?: ReactNode;
}

export function CallFilters({ value, onChange, children }: CallFiltersProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (JSON.stringify(draft) === JSON.stringify(value)) return;
    const timer = setTimeout(() => onChange(draft), 250);
    return () => clearTimeout(timer);
  }, [draft, value, onChange]);

  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter calls"
      onSubmit={(e) => (e.preventDefault(), onChange(draft))}
    >
      <label>
        <span>Status</span>
        <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
          {STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {TEXT_FIELDS.map((field) => (
        <label key={field.key} className={field.key === 'q' ? 'grow' : ''}>
          <span>{field.label}</span>
          <input
            type={field.key === 'q' ? 'search' : 'text'}
            value={draft[field.key]}
            placeholder={field.placeholder}
            spellCheck={false}
            onChange={(e) => setDraft({ ...draft, [field.key]: e.target.value })}
          />
        </label>
      ))}
      <button
        type="button"
        className="secondary"
        disabled={!hasFilters(draft)}
        onClick={() => onChange(NO_FILTERS)}
      >
        Clear filters
      </button>
      {children}
    </form>
  );
}
