// Export the calls matching the current filters as CSV or JSONL (GET /api/calls/export), offered as a download.
import { useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import type { CallFilters } from '../lib/call-filters';
import { exportFileName, toExportQuery, truncatedNote, type ExportFormat } from '../lib/log-export';

const FORMATS: { format: ExportFormat; label: string; type: string }[] = [
  { format: 'csv', label: 'Export CSV', type: 'text/csv' },
  { format: 'jsonl', label: 'Export JSONL', type: 'application/x-ndjson' },
];

function download(text: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export interface CallExportButtonsProps {
  api: GatehouseApi;
  filters: CallFilters;
  onError: (err: unknown) => void;
}

export function CallExportButtons({ api, filters, onError }: CallExportButtonsProps) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string>();

  const run = async (format: ExportFormat, type: string) => {
    setBusy(true);
    try {
      const result = await api.exportCalls(toExportQuery(filters, format));
      download(result.text, type, exportFileName(format, new Date()));
      setNote(result.truncated ? truncatedNote(result.calls) : undefined);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="call-export" role="group" aria-label="Export the calls matching these filters">
      {FORMATS.map(({ format, label, type }) => (
        <button
          key={format}
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void run(format, type)}
        >
          {label}
        </button>
      ))}
      {note && (
        <span className="call-export-note muted" role="status">
          {note}
        </span>
      )}
    </div>
  );
}
