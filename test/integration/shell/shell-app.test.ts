// The main process's wiring under plain Node: startShell with a fake of the Electron API it uses (as Electron
// Fiddle's tests do) and a real gateway with a real upstream. An approval is answered through the IPC adapter as the
// popup would, the call is released upstream, and a quit stops the gateway before the app exits.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { GatehouseEvent } from '../../../shared/api/events.js';
import type { InvokeResult } from '../../../shared/api/ipc-client.js';
import type { PendingApproval } from '../../../shared/api/approvals.js';
import { Gateway } from '../../../electron/gateway/app/gateway.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, SUBSCRIBE_CHANNEL } from '../../../electron/shell/ipc-channels.js';
import { startShell } from '../../../electron/shell/shell-app.js';
import { APP_CSP } from '../../../electron/shell/protocol.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  REPO_ROOT,
  type TestHome,
} from '../../helpers/gateway-fixture.js';
import { fakeElectron } from '../../unit/shell/fake-electron.js';

const homes: TestHome[] = [];
const gateways: Gateway[] = [];
afterEach(async () => {
  for (const g of gateways.splice(0)) await g.stop();
  for (const h of homes.splice(0)) h.cleanup();
});

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startApp() {
  const home = makeHome({
    servers: { ev: everythingStdio() },
    policy: { version: '1', default: 'allow', tools: { echo: { action: 'approve' } } },
  });
  homes.push(home);
  const diagnostics: string[] = [];
  const gateway = new Gateway({ home: home.home, port: 0, diagnostics: (l) => diagnostics.push(l) });
  gateways.push(gateway);
  const fake = fakeElectron();
  const shell = startShell(fake.electron, {
    gateway,
    dashboardDir: path.join(REPO_ROOT, 'dist', 'renderer'),
    preload: '/app/dist/electron/preload.cjs',
    diagnostics: (l) => diagnostics.push(l),
  });
  await shell.ready;
  await waitFor('the ev upstream', () =>
    gateway.upstreamStatus().some((s) => s.name === 'ev' && s.state === 'ready') ? true : undefined,
  );
  const runtime = gateway.runtime!;
  const window = fake.windows[0]!;
  const page = window.loaded[0]!;
  const invoke = (operation: string, input: unknown) =>
    fake.ipcMain.invoke(window.webContents, page, INVOKE_CHANNEL, operation, input) as Promise<InvokeResult>;
  return { home, gateway, runtime, fake, window, page, invoke, diagnostics };
}

describe('the tray app’s main process, with a fake Electron', () => {
  it('opens the dashboard on gatehouse://app with the preload, sandboxed, after registering the scheme', async () => {
    const { fake, window, page, runtime } = await startApp();
    expect(fake.app.calls.slice(0, 3)).toEqual(['registerSchemes', 'lock', 'whenReady']);
    expect(fake.schemes).toEqual([
      { scheme: 'gatehouse', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.windows).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(page).toBe(`gatehouse://app/?mcp=${encodeURIComponent(runtime.mcpUrl)}`);
    expect(window.shown).toBe(1);

    // The page it loads is the built dashboard, over the app's protocol, with its CSP.
    const res = await fake.protocolHandlers.get('gatehouse')!(new Request(page));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await res.text()).toContain('<div id="root">');

    // A second launch of the app shows the same window again.
    fake.app.emit('second-instance');
    expect(fake.windows).toHaveLength(1);
    expect(window.shown).toBe(2);
    // So does a click on the Dock icon (macOS); a window closed is made again.
    fake.app.emit('activate');
    expect(window.shown).toBe(3);
    window.webContents.destroy();
    fake.app.emit('activate');
    expect(fake.windows).toHaveLength(2);
    expect(fake.windows[1]!.loaded).toEqual([page]);
  });

  it('answers an approval through IPC as the popup: the call is released upstream, the record says popup', async () => {
    const { home, runtime, window, fake, page, invoke } = await startApp();
    await fake.ipcMain.invoke(window.webContents, page, SUBSCRIBE_CHANNEL, true);
    const client = await connectClient(runtime.mcpUrl, home.tokens.test!);
    try {
      const result = client.request(
        { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'from the tray' } } },
        CallToolResultSchema,
      );
      const approval = await waitFor('the approval event in the window', () => {
        const event = window.webContents.sent
          .filter((m) => m.channel === EVENT_CHANNEL)
          .map((m) => m.args[0] as GatehouseEvent)
          .find((e) => e.type === 'approval');
        return (event?.data as { approval: PendingApproval } | undefined)?.approval;
      });
      expect(approval).toMatchObject({ exposedName: 'ev__echo', arguments: { message: 'from the tray' } });
      expect(await invoke('listApprovals', {})).toMatchObject({
        ok: true,
        output: { approvals: [{ id: approval.id }] },
      });

      expect(await invoke('answerApproval', { id: approval.id, decision: 'approve', via: 'popup' })).toEqual({
        ok: true,
        output: { ok: true },
      });
      expect(((await result) as CallToolResult).content).toEqual([
        { type: 'text', text: 'Echo: from the tray' },
      ]);
      // Answered already: the same error body as over HTTP.
      expect(await invoke('answerApproval', { id: approval.id, decision: 'deny' })).toMatchObject({
        ok: false,
        status: 409,
      });
      const records = readAllRecords(path.join(home.home, 'logs')).records;
      expect(records.find((r) => r.exposedName === 'ev__echo')).toMatchObject({
        status: 'ok',
        approval: { decision: 'approve', by: 'the user', via: 'popup' },
      });
    } finally {
      await client.close();
    }
  });

  it('serves text bodies, conditional edits and queries over IPC as the HTTP API does', async () => {
    const { invoke } = await startApp();
    const read = await invoke('getPolicy', {});
    expect(read).toMatchObject({ ok: true, output: { text: expect.stringContaining('"echo"') } });
    const { etag } = (read as { output: { etag: string } }).output;
    const edit = { set: [{ path: ['tools', 'echo'], value: { action: 'allow' } }] };
    const patched = await invoke('patchPolicy', { ...edit, ifMatch: etag });
    expect(patched).toMatchObject({ ok: true, output: { etag: expect.any(String) } });
    expect(await invoke('patchPolicy', { ...edit, ifMatch: etag })).toMatchObject({ ok: false, status: 409 });
    expect(await invoke('checkPolicy', { text: '{"version":"1","default":"sometimes"}' })).toMatchObject({
      ok: true,
      output: { ok: false, errors: [{ path: 'default' }] },
    });
    expect(await invoke('listCalls', { limit: 5 })).toMatchObject({ ok: true, output: { calls: [] } });
    expect(await invoke('getServer', { name: 'nope' })).toEqual({
      ok: false,
      status: 404,
      body: { error: 'no server named "nope"' },
    });
    // The app calls as itself, with no dashboard session to end.
    expect(await invoke('logout', {})).toMatchObject({ ok: false, status: 400 });
  });

  it('quits cleanly: the gateway stops first (a waiting call answered, runtime.json gone), then the app exits', async () => {
    const { home, runtime, fake, invoke } = await startApp();
    const client = await connectClient(runtime.mcpUrl, home.tokens.test!);
    try {
      const result = client.request(
        { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'left waiting' } } },
        CallToolResultSchema,
      );
      await waitFor('a pending approval', async () => {
        const listed = await invoke('listApprovals', {});
        return listed.ok && (listed.output as { approvals: unknown[] }).approvals.length > 0
          ? true
          : undefined;
      });
      fake.app.quit();
      expect(await fake.app.exited).toBe(0);
      expect(fake.app.calls.filter((c) => c.startsWith('exit'))).toEqual(['exit 0']);
      const answered = (await result) as CallToolResult;
      expect(answered.isError).toBe(true);
      expect(fs.existsSync(path.join(home.home, 'runtime.json'))).toBe(false);
      // The IPC channels are gone with the gateway.
      expect([...fake.ipcMain.handlers.keys()]).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('a second instance does not start a gateway: it quits, and the first one shows its window', async () => {
    const fake = fakeElectron({ lock: false });
    const home = makeHome();
    homes.push(home);
    const gateway = new Gateway({ home: home.home, port: 0, diagnostics: () => undefined });
    gateways.push(gateway);
    await startShell(fake.electron, {
      gateway,
      dashboardDir: path.join(REPO_ROOT, 'dist', 'renderer'),
      preload: '/p.cjs',
      diagnostics: () => undefined,
    }).ready;
    expect(fake.app.calls).toEqual(['registerSchemes', 'lock', 'quit', 'exit 0']);
    expect(gateway.runtime).toBeUndefined();
    expect(fake.windows).toEqual([]);
  });

  it('a gateway that cannot start says why and quits', async () => {
    const { runtime } = await startApp();
    const fake = fakeElectron();
    const home = makeHome();
    homes.push(home);
    // Another home, the same port: busy.
    const second = new Gateway({ home: home.home, port: runtime.port, diagnostics: () => undefined });
    gateways.push(second);
    await startShell(fake.electron, {
      gateway: second,
      dashboardDir: path.join(REPO_ROOT, 'dist', 'renderer'),
      preload: '/p.cjs',
      diagnostics: () => undefined,
    }).ready;
    expect(fake.errors).toEqual([
      expect.stringMatching(
        new RegExp(`^Gatehouse could not start: port ${runtime.port} on 127.0.0.1 is already in use`),
      ),
    ]);
    expect(await fake.app.exited).toBe(0);
    expect(fake.windows).toEqual([]);
  });
});
