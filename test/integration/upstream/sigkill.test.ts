// A gateway killed with SIGKILL cannot clean up: the watchdog must end its upstream children (and their groups).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REPO_ROOT, groupAlive, groupMembers, pidAlive, waitFor } from '../../helpers/upstreams.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'run-manager.ts');

describe('upstream children when the gateway is SIGKILLed', () => {
  it('are all gone within 3 s, grandchildren included', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no pids printed; stderr: ${stderr}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        const newline = out.indexOf('\n');
        if (newline >= 0) {
          clearTimeout(timer);
          resolve(out.slice(0, newline));
        }
      });
      child.once('exit', (code) => reject(new Error(`the fixture exited (code ${code}): ${stderr}`)));
    });
    const { pids, watchdog } = JSON.parse(line) as { pids: number[]; watchdog: number };
    // Should the test fail, do not leave the processes behind.
    onTestFinished(() => {
      for (const pid of [...pids, watchdog]) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone, as it should be.
        }
      }
    });

    expect(pids).toHaveLength(2);
    expect(pids.every(pidAlive)).toBe(true);
    expect(pidAlive(watchdog)).toBe(true);
    // The memory upstream runs under /bin/sh: its group holds the shell and the real server.
    const groupsBefore = pids.map(groupMembers);
    expect(groupsBefore.map((g) => g.length).sort()).toEqual([1, 2]);
    const everyone = groupsBefore.flat();

    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const killedAt = Date.now();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const allGone = await waitFor(() => everyone.every((p) => !pidAlive(p)) && !pids.some(groupAlive), 3_000);
    const took = Date.now() - killedAt;
    expect(allGone, `still alive: ${everyone.filter(pidAlive).join(', ')}`).toBe(true);
    expect(took).toBeLessThan(3_000);
    expect(await waitFor(() => !pidAlive(watchdog), 1_000)).toBe(true);
  });
});
