// A fake of the Electron main-process API the shell uses (ipcMain, a window's webContents), in the manner of Electron
// Fiddle's tests: just what the code calls, recording what it was given.
import { EventEmitter } from 'node:events';
import type { IpcInvokeEvent, IpcMainLike, ShellContents } from '../../../electron/shell/ipc.js';

type Listener = (event: IpcInvokeEvent, ...args: unknown[]) => unknown;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What ipcRenderer.invoke(channel, …args) from `sender` showing `url` gets (a throw rejects, as in Electron). */
  async invoke(
    sender: { id: number },
    url: string | undefined,
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ sender, senderFrame: url === undefined ? null : { url } }, ...args);
  }
}

let nextId = 1;

export class FakeContents extends EventEmitter implements ShellContents {
  readonly id = nextId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  private destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}
