// The Electron IPC adapter of the control API: every operation of shared/api/operations.ts over one channel, run by
// the same code as the HTTP adapter (runOperation), and the gateway's events sent to the windows that asked for them.
// Only the shell's own windows are answered (Fiddle's src/main/ipc.ts, Desktop's trusted-ipc-sender.ts): the sender
// must be registered here and its frame must show the app's own origin; anything else is refused with an error.
import type { GatehouseEvent } from '../../shared/api/events.js';
import type { InvokeResult } from '../../shared/api/ipc-client.js';
import { operations, type OperationDef, type OperationName } from '../../shared/api/operations.js';
import { runOperation, type ControlCaller, type ControlHandlers } from '../gateway/control/operation-call.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, SUBSCRIBE_CHANNEL } from './ipc-channels.js';
import { isOwnOrigin } from './security.js';

/** What the adapter uses of an IpcMainInvokeEvent. */
export interface IpcInvokeEvent {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

/** What the adapter uses of Electron's ipcMain. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the adapter uses of a window's WebContents. */
export interface ShellContents {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface ShellIpcOptions {
  ipcMain: IpcMainLike;
  events: { subscribe(listener: (event: GatehouseEvent) => void): () => void };
  diagnostics: (line: string) => void;
}

/**
 * The app's windows call as the app itself: no token. They need no sign-in (the channel is the credential), so the
 * public operation (login) is not served here, and logout answers as it does for the admin token.
 */
const APP_CALLER: ControlCaller = {};

export class ShellIpc {
  private readonly windows = new Map<number, ShellContents>();
  private readonly subscriptions = new Map<number, () => void>();

  constructor(private readonly options: ShellIpcOptions) {}

  /** Starts answering with these handlers; the returned function stops (channels freed, subscriptions ended). */
  serve(handlers: ControlHandlers): () => void {
    const { ipcMain } = this.options;
    ipcMain.handle(INVOKE_CHANNEL, (event, operation, input) =>
      this.invoke(handlers, event, operation, input),
    );
    ipcMain.handle(SUBSCRIBE_CHANNEL, (event, on) => this.subscribe(event, on === true));
    return () => {
      ipcMain.removeHandler(INVOKE_CHANNEL);
      ipcMain.removeHandler(SUBSCRIBE_CHANNEL);
      for (const id of [...this.subscriptions.keys()]) this.unsubscribe(id);
    };
  }

  /** A window of the shell (the dashboard, the approval popup): its IPC is answered while it lives. */
  register(contents: ShellContents): void {
    this.windows.set(contents.id, contents);
    contents.once('destroyed', () => {
      this.unsubscribe(contents.id);
      this.windows.delete(contents.id);
    });
  }

  private trusted(event: IpcInvokeEvent): ShellContents {
    const contents = this.windows.get(event.sender.id);
    const url = event.senderFrame?.url;
    if (!contents || url === undefined || !isOwnOrigin(url)) {
      throw new Error(
        `Gatehouse answers IPC only from its own windows; refused a call from ${url ?? 'a frame that is gone'}`,
      );
    }
    return contents;
  }

  private async invoke(
    handlers: ControlHandlers,
    event: IpcInvokeEvent,
    operation: unknown,
    input: unknown,
  ): Promise<InvokeResult> {
    this.trusted(event);
    if (typeof operation !== 'string' || !Object.hasOwn(operations, operation)) {
      return { ok: false, status: 404, body: { error: `unknown operation "${String(operation)}"` } };
    }
    const name = operation as OperationName;
    const def: OperationDef = operations[name];
    if (def.public) {
      return {
        ok: false,
        status: 404,
        body: { error: `${name} is not served over IPC: the app's own windows need no sign-in` },
      };
    }
    return runOperation(name, def, handlers, input ?? {}, APP_CALLER, this.options.diagnostics);
  }

  private subscribe(event: IpcInvokeEvent, on: boolean): void {
    const contents = this.trusted(event);
    if (!on) return this.unsubscribe(contents.id);
    if (this.subscriptions.has(contents.id)) return;
    const stop = this.options.events.subscribe((gatewayEvent) => {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, gatewayEvent);
    });
    this.subscriptions.set(contents.id, stop);
  }

  private unsubscribe(id: number): void {
    this.subscriptions.get(id)?.();
    this.subscriptions.delete(id);
  }
}
