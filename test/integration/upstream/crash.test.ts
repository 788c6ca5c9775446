// Crashes: an upstream SIGKILLed mid-call is restarted with backoff; one that dies at startup keeps retrying.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { UpstreamStatus } from '../../../shared/servers.js';
import { UpstreamManager } from '../../../electron/gateway/upstream/manager.js';
import { everythingStdio, pidAlive, waitFor } from '../../helpers/upstreams.js';

function statusOf(manager: UpstreamManager, name: string): UpstreamStatus | undefined {
  return manager.status().find((s) => s.name === name);
}

async function untilReady(manager: UpstreamManager, name: string): Promise<UpstreamStatus> {
  const ok = await waitFor(() => statusOf(manager, name)?.state === 'ready', 20_000);
  if (!ok) throw new Error(`not ready: ${JSON.stringify(statusOf(manager, name))}`);
  return statusOf(manager, name) as UpstreamStatus;
}

describe('upstream crashes', () => {
  it('rejects the call in flight, goes restarting, comes back ready and works again', async () => {
    const diagnostics: string[] = [];
    const manager = new UpstreamManager({
      servers: { mcpServers: { everything: everythingStdio() } },
      diagnostics: (line) => diagnostics.push(line),
      restartBackoff: { initialMs: 250, maxMs: 30_000 },
    });
    onTestFinished(() => manager.stop());
    const states: string[] = [];
    manager.on('status', (s) => states.push(s.state));
    let toolsEvents = 0;
    manager.on('tools', () => toolsEvents++);
    manager.start();
    const before = await untilReady(manager, 'everything');
    const pid = before.pid ?? 0;
    expect(pidAlive(pid)).toBe(true);

    const progress: number[] = [];
    const inFlight = manager.callTool(
      'everything',
      'trigger-long-running-operation',
      { duration: 20, steps: 20 },
      { onProgress: (p) => progress.push(p.progress) },
    );
    inFlight.catch(() => undefined);
    // Progress arriving proves the call is running inside the upstream when it is killed.
    expect(await waitFor(() => progress.length >= 1, 5_000)).toBe(true);
    const eventsBefore = toolsEvents;
    process.kill(pid, 'SIGKILL');

    const started = Date.now();
    await expect(inFlight).rejects.toThrow(
      'upstream "everything" was killed by SIGKILL during the call; Gatehouse is restarting it — retry in a moment',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(statusOf(manager, 'everything')).toMatchObject({
      state: 'restarting',
      error: 'it was killed by SIGKILL',
      toolCount: 16,
    });
    // While it restarts, its last tools stay listed, so a client's call is told to retry rather than "unknown tool".
    expect(manager.tools().map((l) => l.server)).toEqual(['everything']);
    expect(toolsEvents).toBe(eventsBefore);
    await expect(manager.callTool('everything', 'echo', { message: 'too soon' })).rejects.toThrow(
      'upstream "everything" is restarting after it was killed by SIGKILL; retry in a moment',
    );
    expect(statusOf(manager, 'everything')?.stderrTail.at(-1)).toBe(
      '[gatehouse] the upstream was killed by SIGKILL',
    );

    const after = await untilReady(manager, 'everything');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(after.pid).not.toBe(pid);
    expect(after.restarts).toBe(1);
    expect(after.error).toBeUndefined();
    expect(await manager.callTool('everything', 'echo', { message: 'back' })).toEqual({
      content: [{ type: 'text', text: 'Echo: back' }],
    });
    expect(manager.tools()[0]?.tools.length).toBeGreaterThan(5);
    const restartAt = states.indexOf('restarting');
    expect(restartAt).toBeGreaterThan(0);
    expect(states.slice(restartAt)).toContain('ready');
    expect(
      diagnostics.some((l) =>
        l.includes('upstream "everything" was killed by SIGKILL; restarting in 250 ms'),
      ),
    ).toBe(true);
  });

  it('keeps retrying a server that dies at startup, waiting longer each time up to the cap', async () => {
    const manager = new UpstreamManager({
      servers: { mcpServers: { flaky: { command: process.execPath, args: ['-e', 'process.exit(7)'] } } },
      diagnostics: () => undefined,
      restartBackoff: { initialMs: 50, maxMs: 400 },
    });
    onTestFinished(() => manager.stop());
    const failures: { at: number; restarts: number; error?: string }[] = [];
    manager.on('status', (s) => {
      if (s.state === 'failed') failures.push({ at: Date.now(), restarts: s.restarts, error: s.error });
    });
    manager.start();
    expect(await waitFor(() => failures.length >= 7, 15_000)).toBe(true);
    expect(failures[0]?.error).toBe('exited (code 7) during startup');
    expect(failures.map((f) => f.restarts).slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    // Attempt n+1 starts no sooner than the backoff after failure n: 50, 100, 200, 400, 400 ms.
    const delays = [50, 100, 200, 400, 400];
    delays.forEach((delay, i) => {
      const gap = (failures[i + 1]?.at ?? 0) - (failures[i]?.at ?? 0);
      expect(gap, `gap after failure ${i}`).toBeGreaterThanOrEqual(delay - 5);
    });
    // Capped: without the cap the sixth wait would be 1600 ms.
    const sixth = (failures[6]?.at ?? 0) - (failures[5]?.at ?? 0);
    expect(sixth).toBeGreaterThanOrEqual(395);
    expect(sixth).toBeLessThan(1_400);
  });

  it('doubles the restart delay on quick crashes and starts over once an upstream stayed up', async () => {
    const diagnostics: string[] = [];
    const manager = new UpstreamManager({
      servers: { mcpServers: { everything: everythingStdio() } },
      diagnostics: (line) => diagnostics.push(line),
      restartBackoff: { initialMs: 100, maxMs: 30_000, resetAfterMs: 1_000 },
    });
    onTestFinished(() => manager.stop());
    manager.start();
    const crash = async () => {
      const { pid, restarts } = await untilReady(manager, 'everything');
      process.kill(pid ?? 0, 'SIGKILL');
      expect(await waitFor(() => statusOf(manager, 'everything')?.restarts === restarts + 1, 10_000)).toBe(
        true,
      );
      return diagnostics.filter((l) => l.includes('restarting in')).at(-1);
    };
    expect(await crash()).toContain('restarting in 100 ms');
    expect(await crash()).toContain('restarting in 200 ms');
    expect(await crash()).toContain('restarting in 400 ms');
    await untilReady(manager, 'everything');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await crash()).toContain('restarting in 100 ms');
  });
});
