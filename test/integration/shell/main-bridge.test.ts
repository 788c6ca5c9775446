// The packaged app is its own bridge (DESIGN.md §3): electron/main.ts started with `--bridge …` serves MCP on stdio for
// Claude Desktop and opens nothing. Run here as the bundled main process under plain Node, with a fake of what it
// imports from electron that leaves every other part of Electron undefined.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import {
  exitOf,
  everythingStdio,
  makeHome,
  REPO_ROOT,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';
import { connectStdio } from '../bridge/bridge-process.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** electron/main.ts bundled as scripts/build-node.mjs bundles it, electron swapped for the fixture. */
async function bundleMain(): Promise<string> {
  // Inside the checkout, so that the packages it leaves external resolve from node_modules.
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test-results', 'main-bridge-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const outfile = path.join(dir, 'main.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'electron', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    alias: { electron: path.join(import.meta.dirname, 'fixtures', 'electron-main.mjs') },
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

describe('the app started with --bridge', () => {
  it('is a stdio MCP server for a grant, in front of the running gateway, and exits when stdin closes', async () => {
    const home: TestHome = makeHome({ servers: { ev: everythingStdio() }, grants: ['claude'] });
    cleanups.push(() => home.cleanup());
    const { gateway } = await startGateway(home, ['ev']);
    cleanups.push(() => gateway.stop());
    const main = await bundleMain();

    const bridge = await connectStdio(process.execPath, [
      main,
      '--bridge',
      '--grant',
      'claude',
      '--home',
      home.home,
    ]);
    cleanups.push(() => bridge.client.close());
    expect(await bridge.toolNames()).toContain('ev__echo');
    expect((await bridge.call('ev__echo', { message: 'from the app binary' })).content).toEqual([
      { type: 'text', text: 'Echo: from the app binary' },
    ]);
    await bridge.client.close();
    expect(await exitOf(bridge.process)).toEqual({ code: 0, signal: null });
    expect(bridge.transportErrors).toEqual([]);
  });

  it('says what is wrong with its arguments and exits 1', async () => {
    const main = await bundleMain();
    const run = spawnSync(process.execPath, [main, '--bridge', '--server', 'ev'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'gatehouse bridge: --bridge needs --grant NAME (the grant the calls are made as)\n',
    );
    expect(run.stdout).toBe('');
  });
});
