// `npm start`'s question: can the tray app run here, and if not, why (DESIGN.md §3)? Electron fetches its binary on
// first use; where that download fails (no network, a proxy) it would fail again at every start, 3–5 s each, so the
// failure is remembered in a marker file and the download is tried again only when asked (--retry-electron).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const RETRY_HINT =
  'run "npm start -- --retry-electron" or "node node_modules/electron/install.js" to try again';

/** `2026-12-07 06:41 UTC`: when the remembered download failed. */
function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? String(iso)
    : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function readMarker(file) {
  try {
    const marker = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof marker?.at === 'string' ? marker : undefined;
  } catch {
    // No marker, or one that cannot be read: the download is tried.
    return undefined;
  }
}

/** Electron's own installer, briefly: the first line of its stderr that says what went wrong, or undefined. */
function downloadElectron(electronDir) {
  const fetched = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
    encoding: 'utf8',
  });
  if (fetched.status === 0) return undefined;
  const detail = (fetched.stderr || '').split('\n').find((l) => /error|ENOTFOUND|fetch failed/i.test(l));
  return detail?.trim() || (fetched.error?.message ?? `the installer exited with ${fetched.status}`);
}

/**
 * Where the Electron binary is (`{ bin }`), or why the tray app cannot run here (`{ why }`). Never require('electron'):
 * it would try to download. `download(electronDir)` returns why it failed, or undefined.
 */
export function findElectron({
  electronDir,
  markerFile,
  retry = false,
  download = downloadElectron,
  now = () => new Date(),
  hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY),
}) {
  if (!fs.existsSync(path.join(electronDir, 'package.json')))
    return { why: 'the electron package is not installed' };
  // Without a display the tray app cannot run whatever happens: nothing to download.
  if (!hasDisplay) return { why: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const locate = () => {
    try {
      const bin = path.join(
        electronDir,
        'dist',
        fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim(),
      );
      return fs.existsSync(bin) ? bin : undefined;
    } catch {
      // No path.txt: the binary was never installed.
      return undefined;
    }
  };
  let bin = locate();
  if (!bin) {
    const failed = retry ? undefined : readMarker(markerFile);
    if (failed) {
      return {
        why: `its binary is missing; the download failed on ${when(failed.at)}: ${failed.reason} — ${RETRY_HINT}`,
      };
    }
    const reason = download(electronDir);
    bin = locate();
    if (!bin) {
      const why = reason ?? 'the installer finished without it';
      fs.mkdirSync(path.dirname(markerFile), { recursive: true });
      fs.writeFileSync(markerFile, `${JSON.stringify({ at: now().toISOString(), reason: why })}\n`);
      return {
        why: `its binary is missing and could not be downloaded: ${why}; it is not tried again at each start — ${RETRY_HINT}`,
      };
    }
  }
  fs.rmSync(markerFile, { force: true });
  return { bin };
}
