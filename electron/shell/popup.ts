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
  /** Where each new window goes (popupPlace); Electron centres it without. */
  bounds?: () => Rectangle | undefined;
  onMoved?: (bounds: Rectangle) => void;
}

const MARGIN = 12;

const inside = (r: Rectangle, area: Rectangle) =>
  r.x >= area.x &&
  r.y >= area.y &&
  r.x + r.width <= area.x + area.width &&
  r.y + r.height <= area.y + area.height;

/**
 * Where the popup goes: where the person left it while that is still on the screen, else the corner by the tray —
 * top right, or bottom right on Windows (its taskbar's notification area) — never in the middle of their work.
 */
export function popupPlace(workArea: Rectangle, platform: NodeJS.Platform, saved?: Rectangle): Rectangle {
  if (saved && inside(saved, workArea)) return saved;
  const width = Math.min(POPUP_SIZE.width, workArea.width - 2 * MARGIN);
  const height = Math.min(POPUP_SIZE.height, workArea.height - 2 * MARGIN);
  const x = workArea.x + workArea.width - width - MARGIN;
  const y = platform === 'win32' ? workArea.y + workArea.height - height - MARGIN : workArea.y + MARGIN;
  return { x, y, width, height };
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
    const created = options.createWindow(popupWindowOptions(options.bounds?.(), options.preload));
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
