import { describe, expect, it } from 'vitest';
import { createIpcClient, type GatehouseBridge, type InvokeResult } from '../../../shared/api/ipc-client.js';
import { ApiRequestError, type GatehouseApi } from '../../../shared/api/operations.js';
import type { GatehouseEvent } from '../../../shared/api/events.js';
import { ApiError } from '../../../electron/gateway/control/api-error.js';
import { EventHub } from '../../../electron/gateway/control/event-hub.js';
import type { ControlHandlers } from '../../../electron/gateway/control/operation-call.js';
import { ShellIpc } from '../../../electron/shell/ipc.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, SUBSCRIBE_CHANNEL } from '../../../electron/shell/ipc-channels.js';
import { FakeContents, FakeIpcMain } from './fake-electron.js';

const APP_PAGE = 'gatehouse://app/?mcp=http%3A%2F%2F127.0.0.1%3A7451%2Fmcp';

const approval = {
  id: 'a1',
  grant: 'claude',
  server: 'ev',
  tool: 'echo',
  exposedName: 'ev__echo',
  arguments: { message: 'hi' },
  reason: 'rule "echo" asks a person',
  risk: { category: 'other', level: 'low', reasons: [] },
  createdAt: '2026-12-07T06:00:00.000Z',
  expiresAt: '2026-12-07T06:00:50.000Z',
};

function setup() {
  const ipcMain = new FakeIpcMain();
  const events = new EventHub();
  const diagnostics: string[] = [];
  const answers: unknown[] = [];
  const callers: unknown[] = [];
  const handlers = {
    listApprovals: () => ({ approvals: [approval] }),
    answerApproval: ({ id, ...answer }: { id: string }, caller: unknown) => {
      callers.push(caller);
      if (id !== 'a1') throw new ApiError(404, `no pending approval "${id}"`);
      answers.push({ id, ...answer });
      return { ok: true as const };
    },
    // Breaks the contract: the output check must catch it.
    getPause: () => ({ paused: 'yes' }),
    login: () => ({ token: 'never' }),
  } as unknown as ControlHandlers;
  const ipc = new ShellIpc({ ipcMain, events, diagnostics: (l) => diagnostics.push(l) });
  const stop = ipc.serve(handlers);
  const own = new FakeContents();
  ipc.register(own);
  const invoke = (operation: unknown, input?: unknown, sender = own, url: string | null = APP_PAGE) =>
    ipcMain.invoke(sender, url ?? undefined, INVOKE_CHANNEL, operation, input) as Promise<InvokeResult>;
  return { ipcMain, events, ipc, own, invoke, answers, callers, diagnostics, stop };
}

/** The preload's bridge, over the fake ipcMain, for one window. */
function bridgeOf(ipcMain: FakeIpcMain, contents: FakeContents): GatehouseBridge {
  return {
    invoke: (operation, input) =>
      ipcMain.invoke(contents, APP_PAGE, INVOKE_CHANNEL, operation, input) as Promise<InvokeResult>,
    on(listener) {
      const before = contents.sent.length;
      void ipcMain.invoke(contents, APP_PAGE, SUBSCRIBE_CHANNEL, true);
      const timer = setInterval(() => {
        for (const { args } of contents.sent.splice(before)) listener(args[0]);
      }, 1);
      return () => {
        clearInterval(timer);
        void ipcMain.invoke(contents, APP_PAGE, SUBSCRIBE_CHANNEL, false);
      };
    },
  };
}

describe('the IPC adapter', () => {
  it('serves an operation to its own window, as the app itself', async () => {
    const { invoke, answers, callers } = setup();
    expect(await invoke('listApprovals', {})).toEqual({ ok: true, output: { approvals: [approval] } });
    expect(await invoke('answerApproval', { id: 'a1', decision: 'approve', via: 'popup' })).toEqual({
      ok: true,
      output: { ok: true },
    });
    expect(answers).toEqual([{ id: 'a1', decision: 'approve', via: 'popup' }]);
    expect(callers).toEqual([{}]);
  });

  it('refuses a window it did not register, and a frame on another origin, with an error', async () => {
    const { invoke, own } = setup();
    const stranger = new FakeContents();
    await expect(invoke('listApprovals', {}, stranger)).rejects.toThrow(
      /only from its own windows; refused a call from gatehouse:\/\/app\//,
    );
    await expect(invoke('listApprovals', {}, own, 'https://evil.example/')).rejects.toThrow(
      /refused a call from https:\/\/evil\.example\//,
    );
    await expect(invoke('listApprovals', {}, own, 'http://127.0.0.1:7451/')).rejects.toThrow(/own windows/);
    await expect(invoke('listApprovals', {}, own, null)).rejects.toThrow(/a frame that is gone/);
  });

  it('forgets a window once it is destroyed', async () => {
    const { invoke, own } = setup();
    own.destroy();
    await expect(invoke('listApprovals', {}, own)).rejects.toThrow(/own windows/);
  });

  it('names an unknown operation, and does not serve the sign-in', async () => {
    const { invoke } = setup();
    expect(await invoke('dropDatabase', {})).toEqual({
      ok: false,
      status: 404,
      body: { error: 'unknown operation "dropDatabase"' },
    });
    expect(await invoke('toString', {})).toMatchObject({ ok: false, status: 404 });
    expect(await invoke('login', { code: 'x' })).toEqual({
      ok: false,
      status: 404,
      body: { error: "login is not served over IPC: the app's own windows need no sign-in" },
    });
  });

  it('parses the input by the operation’s schema: 400 with each issue’s path', async () => {
    const { invoke, answers } = setup();
    const result = await invoke('answerApproval', { id: 'a1', decision: 'maybe' });
    expect(result).toMatchObject({
      ok: false,
      status: 400,
      body: { error: 'invalid input for answerApproval' },
    });
    expect((result as { body: { errors: { path: string }[] } }).body.errors.map((e) => e.path)).toEqual([
      'decision',
    ]);
    expect(answers).toEqual([]);
  });

  it('checks the output by its schema: an answer outside the contract is a logged 500', async () => {
    const { invoke, diagnostics } = setup();
    expect(await invoke('getPause', {})).toMatchObject({ ok: false, status: 500 });
    expect(diagnostics.join('\n')).toMatch(/control API: .*paused/s);
  });

  it('raises the same ApiRequestError in the renderer as over HTTP', async () => {
    const { ipcMain, own } = setup();
    const api = createIpcClient(bridgeOf(ipcMain, own));
    expect(await api.listApprovals({})).toEqual({ approvals: [approval] });
    const err = (await api
      .answerApproval({ id: 'gone', decision: 'deny' })
      .catch((e: unknown) => e)) as ApiRequestError;
    expect(err).toBeInstanceOf(ApiRequestError);
    expect({ operation: err.operation, status: err.status, body: err.body }).toEqual({
      operation: 'answerApproval',
      status: 404,
      body: { error: 'no pending approval "gone"' },
    });
  });

  it('sends the gateway’s events only to its own windows that subscribed, until they stop or close', async () => {
    const { ipcMain, ipc, events, own, stop } = setup();
    const quiet = new FakeContents();
    ipc.register(quiet);
    const stranger = new FakeContents();
    await ipcMain.invoke(own, APP_PAGE, SUBSCRIBE_CHANNEL, true);
    await ipcMain.invoke(own, APP_PAGE, SUBSCRIBE_CHANNEL, true);
    await expect(ipcMain.invoke(stranger, APP_PAGE, SUBSCRIBE_CHANNEL, true)).rejects.toThrow(/own windows/);
    events.emit('tools', { count: 3 });
    expect(own.sent).toEqual([
      { channel: EVENT_CHANNEL, args: [{ seq: 1, type: 'tools', data: { count: 3 } }] },
    ]);
    expect(quiet.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);

    await ipcMain.invoke(own, APP_PAGE, SUBSCRIBE_CHANNEL, false);
    events.emit('tools', { count: 4 });
    expect(own.sent).toHaveLength(1);

    await ipcMain.invoke(quiet, APP_PAGE, SUBSCRIBE_CHANNEL, true);
    quiet.destroy();
    events.emit('tools', { count: 5 });
    expect(quiet.sent).toEqual([]);

    stop();
    expect([...ipcMain.handlers.keys()]).toEqual([]);
  });

  it('gives the renderer’s subscribe() the events as the SSE client does, until its signal aborts', async () => {
    const { ipcMain, events, own } = setup();
    const api: GatehouseApi = createIpcClient(bridgeOf(ipcMain, own));
    const got: GatehouseEvent[] = [];
    const statuses: boolean[] = [];
    const abort = new AbortController();
    const done = api.subscribe((e) => got.push(e), {
      signal: abort.signal,
      onStatus: (s) => statuses.push(s.connected),
    });
    await new Promise((r) => setTimeout(r, 5));
    events.emit('policy', { version: 'v2' });
    await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    await done;
    expect(got).toEqual([{ seq: 1, type: 'policy', data: { version: 'v2' } }]);
    expect(statuses).toEqual([true]);
  });
});
