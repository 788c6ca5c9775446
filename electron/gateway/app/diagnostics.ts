// Gatehouse's own diagnostics: to stderr and to <home>/gatehouse.log (redacted, timestamped, kept under 5 MB).
import fs from 'node:fs';
import { redactString } from '../log/redact.js';

const MAX_BYTES = 5 * 1024 * 1024;

export function createDiagnostics(
  file: string | undefined,
  stderr: (text: string) => void,
): (line: string) => void {
  let size = -1;
  return (line: string) => {
    const text = redactString(line);
    stderr(`gatehouse: ${text}\n`);
    if (!file) return;
    try {
      if (size < 0) size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      if (size > MAX_BYTES) {
        fs.renameSync(file, `${file}.1`);
        size = 0;
      }
      const entry = `${new Date().toISOString()} ${text}\n`;
      fs.appendFileSync(file, entry, { mode: 0o600 });
      size += Buffer.byteLength(entry);
    } catch (err) {
      stderr(`gatehouse: cannot write ${file}: ${(err as Error).message}\n`);
    }
  };
}
