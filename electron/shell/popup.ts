// The approval popup: one small always-on-top window that appears, without taking focus, while approvals wait, and
// goes away when none do. It shows the dashboard's popup route (PopupView); the page itself arms its buttons only
// once the person has focused the window, and a second later (DESIGN.md §6).
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { secureWebPreferences } from './security.js';

const POPUP_SIZE = { width: 420, height: 560 } as const;

/** The parts of a BrowserWindow the popup uses (a fake in tests). */
export interface PopupWindow<Contents = unknown> {
  webContents: Contents;
  loadURL(url: string): Promise<void>;
  showInactive(): void;
  show(): void;
  hide(): void;
  isVisible(): boolean;
  isDestroyed(): boolean;
  getBounds(): Rectangle;
  on(event: 'moved' | 'closed', listener: () => void): unknown;
}

export interface PopupOptions<Contents> {
  createWindow: (options: BrowserWindowConstructorOptions) => PopupWindow<Contents>;
  /** Each new window's page: the dashboard's popup route (`?view=popup`). */
  url: () => string;
  /** The preload's bridge: the page reaches the gateway through it. */
  preload?: string;
  /** Each new window, before its page loads (its IPC is answered from then on). */
  onCreated?: (window: PopupWindow<Contents>) => void;
  /** Where the person last put it, if anywhere. */
  bounds?: Partial<Rectangle>;
  onMoved?: (bounds: Rectangle) => void;
}

function popupWindowOptions(
  bounds: Partial<Rectangle> = {},
  preload?: string,
): BrowserWindowConstructorOptions {
  return {
    ...POPUP_SIZE,
    ...bounds,
    title: 'Gatehouse — approvals',
    show: false,
    alwaysOnTop: true,
    skipTaskbar: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    webPreferences: secureWebPreferences(preload),
  };
}

export function createPopup<Contents>(options: PopupOptions<Contents>) {
  let window: PopupWindow<Contents> | undefined;
  const open = (): PopupWindow<Contents> => {
    if (window && !window.isDestroyed()) return window;
    const created = options.createWindow(popupWindowOptions(options.bounds, options.preload));
    options.onCreated?.(created);
    created.on('moved', () => options.onMoved?.(created.getBounds()));
    created.on('closed', () => {
      if (window === created) window = undefined;
    });
    void created.loadURL(options.url());
    window = created;
    return created;
  };
  return {
    /** Shown without focus while approvals wait; hidden when none do. */
    update(waiting: number): void {
      if (waiting > 0) {
        const shown = open();
        if (!shown.isVisible()) shown.showInactive();
      } else if (window && !window.isDestroyed() && window.isVisible()) {
        window.hide();
      }
    },
    /** The person asked to see it (a notification's click, the tray's Review approvals): shown and focused. */
    reveal(): void {
      open().show();
    },
  };
}
