#!/usr/bin/env node
// The `gatehouse` command: a thin launcher for the bundled CLI (built by `npm install`'s prepare step).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/node/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    `gatehouse: ${cli} is missing — the CLI has not been built. Run "npm install" (or "npm run build:node") in the Gatehouse folder.\n`,
  );
  process.exit(1);
}
await import(pathToFileURL(cli).href);
