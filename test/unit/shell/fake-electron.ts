// A fake of the Electron main-process API the shell uses (app, protocol, ipcMain, BrowserWindow), in the manner of
// Electron Fiddle's tests: just what the code calls, recording what it was given.
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';
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

export class FakeWindow {
  readonly loaded: string[] = [];
  shown = 0;

  constructor(
    readonly options: BrowserWindowConstructorOptions,
    readonly webContents: FakeContents = new FakeContents(),
  ) {}

  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }

  show(): void {
    this.shown++;
  }

  focus(): void {}

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  isDestroyed(): boolean {
    return this.webContents.isDestroyed();
  }
}

/** Electron's app: events, the single-instance lock, quit (which emits before-quit, as Electron does) and exit. */
class FakeApp extends EventEmitter {
  readonly calls: string[] = [];
  readonly exited: Promise<number>;
  private onExit: (code: number) => void = () => undefined;

  constructor(private readonly lock: boolean) {
    super();
    this.exited = new Promise((resolve) => (this.onExit = resolve));
  }

  requestSingleInstanceLock(): boolean {
    this.calls.push('lock');
    return this.lock;
  }

  whenReady(): Promise<void> {
    this.calls.push('whenReady');
    return Promise.resolve();
  }

  quit(): void {
    this.calls.push('quit');
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exit(0);
  }

  exit(code = 0): void {
    this.calls.push(`exit ${code}`);
    this.onExit(code);
  }
}

/** The Electron API of shell-app.ts (ShellElectron), and what was done with it. */
export function fakeElectron({
  lock = true,
  createWindow = (options: BrowserWindowConstructorOptions) => new FakeWindow(options),
}: { lock?: boolean; createWindow?: (options: BrowserWindowConstructorOptions) => FakeWindow } = {}) {
  const app = new FakeApp(lock);
  const ipcMain = new FakeIpcMain();
  const windows: FakeWindow[] = [];
  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const errors: string[] = [];
  const electron = {
    app,
    ipcMain,
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => {
        app.calls.push('registerSchemes');
        schemes.push(...s);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    createWindow: (options: BrowserWindowConstructorOptions) => {
      const window = createWindow(options);
      windows.push(window);
      return window;
    },
    openExternal: () => undefined,
    showError: (title: string, content: string) => errors.push(`${title}: ${content}`),
  };
  return { electron, app, ipcMain, windows, schemes, protocolHandlers, errors };
}
