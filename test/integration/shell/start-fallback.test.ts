// `npm start` where Electron cannot run (DESIGN.md §3): one line saying why, then the headless gateway with the given
// options — here with no display and no binary download, as on a server or in CI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitOf, makeHome, REPO_ROOT, type TestHome } from '../../helpers/gateway-fixture.js';

const homes: TestHome[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

describe('npm start without Electron', () => {
  it('says why in one line, then serves headless with the options given, and stops on SIGTERM', async () => {
    const home = makeHome();
    homes.push(home);
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'scripts', 'start.mjs'), '--home', home.home, '--port', '0'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line; stdout: ${stdout}`)), 60_000);
        child.stdout.on('data', () => {
          if (!stdout.includes('gatehouse ready ')) return;
          clearTimeout(timer);
          resolve();
        });
      });
      const [why, ready] = stdout.split('\n');
      expect(why).toMatch(
        /^Electron is not available \((its binary is missing and could not be downloaded.*|no display \(DISPLAY and WAYLAND_DISPLAY are unset\))\): running the headless gateway$/,
      );
      const runtime = JSON.parse(fs.readFileSync(path.join(home.home, 'runtime.json'), 'utf8')) as {
        mcpUrl: string;
      };
      expect(ready).toMatch(new RegExp(`^gatehouse ready mcp=${runtime.mcpUrl} dashboard=`));
      child.kill('SIGTERM');
      expect((await exitOf(child)).code).toBe(0);
      expect(fs.existsSync(path.join(home.home, 'runtime.json'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);
});
