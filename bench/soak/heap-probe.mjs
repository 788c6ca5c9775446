// The gateway has no metrics route (no /api/metrics), so the soak loads a small probe into `gatehouse serve`
// (node --import) that writes the process's heap figures to a file once a second. The probe is a data: URL, so it
// needs no file of its own; its timer never keeps the gateway alive.

/** The `--import` argument that makes a Node process write process.memoryUsage() to `file` every second. */
export function heapProbeImport(file) {
  const source = [
    "import fs from 'node:fs';",
    'setInterval(() => {',
    '  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();',
    '  const figures = JSON.stringify({ at: Date.now(), rss, heapUsed, heapTotal, external });',
    // The soak removed its folder: nobody reads the figures any more.
    `  try { fs.writeFileSync(${JSON.stringify(file)}, figures); } catch {}`,
    '}, 1000).unref();',
  ].join('\n');
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
