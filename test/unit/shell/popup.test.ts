import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { createPopup, popupPlace, type PopupWindow } from '../../../electron/shell/popup.js';

/** A window that records what it was asked to do. */
function fakeWindows() {
  const made: { options: BrowserWindowConstructorOptions; calls: string[]; emit(e: string): void }[] = [];
  const createWindow = (options: BrowserWindowConstructorOptions): PopupWindow => {
    const calls: string[] = [];
    const listeners = new Map<string, () => void>();
    let visible = false;
    let destroyed = false;
    made.push({ options, calls, emit: (e) => listeners.get(e)?.() });
    return {
      webContents: { id: made.length },
      loadURL: async (url) => void calls.push(`load ${url}`),
      showInactive: () => void (calls.push('showInactive'), (visible = true)),
      show: () => void (calls.push('show'), (visible = true)),
      hide: () => void (calls.push('hide'), (visible = false)),
      isVisible: () => visible,
      isDestroyed: () => destroyed,
      getBounds: (): Rectangle => ({ x: 5, y: 6, width: 420, height: 560 }),
      on: (event, listener) => {
        listeners.set(event, () => {
          if (event === 'closed') destroyed = true;
          listener();
        });
      },
    };
  };
  return { made, createWindow };
}

describe('approval popup', () => {
  it('appears without focus while approvals wait, and hides when none do', () => {
    const { made, createWindow } = fakeWindows();
    const created: unknown[] = [];
    const popup = createPopup({
      createWindow,
      url: () => 'gatehouse://app/?view=popup',
      preload: '/app/preload.cjs',
      onCreated: (w) => created.push(w.webContents),
    });
    popup.update(0);
    expect(made).toHaveLength(0);
    popup.update(1);
    popup.update(2);
    popup.update(0);
    popup.update(1);
    expect(made).toHaveLength(1);
    expect(made[0]?.calls).toEqual([
      'load gatehouse://app/?view=popup',
      'showInactive',
      'hide',
      'showInactive',
    ]);
    expect(made[0]?.options).toMatchObject({
      width: 420,
      height: 560,
      show: false,
      alwaysOnTop: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        preload: '/app/preload.cjs',
      },
    });
    expect(created).toEqual([{ id: 1 }]);
  });

  it('opens where the person left it, remembers a move, and makes a new window once closed', () => {
    const { made, createWindow } = fakeWindows();
    const moved: Rectangle[] = [];
    const popup = createPopup({
      createWindow,
      url: () => 'u',
      bounds: () => ({ x: 10, y: 20, width: 420, height: 560 }),
      onMoved: (b) => moved.push(b),
    });
    popup.update(1);
    expect(made[0]?.options).toMatchObject({ x: 10, y: 20, width: 420 });
    made[0]?.emit('moved');
    expect(moved).toEqual([{ x: 5, y: 6, width: 420, height: 560 }]);
    made[0]?.emit('closed');
    popup.reveal();
    expect(made).toHaveLength(2);
    expect(made[1]?.calls).toEqual(['load u', 'show']);
  });

  it('goes by the tray, or where the person left it while that is on the screen', () => {
    const area = { x: 0, y: 25, width: 1440, height: 875 };
    expect(popupPlace(area, 'darwin')).toEqual({ x: 1008, y: 37, width: 420, height: 560 });
    expect(popupPlace(area, 'linux')).toEqual({ x: 1008, y: 37, width: 420, height: 560 });
    expect(popupPlace({ x: 0, y: 0, width: 1920, height: 1040 }, 'win32')).toEqual({
      x: 1488,
      y: 468,
      width: 420,
      height: 560,
    });
    const saved = { x: 100, y: 100, width: 420, height: 560 };
    expect(popupPlace(area, 'darwin', saved)).toBe(saved);
    // A screen that went away (or shrank) does not keep it out of sight.
    expect(popupPlace(area, 'darwin', { ...saved, x: 2000 })).toEqual({
      x: 1008,
      y: 37,
      width: 420,
      height: 560,
    });
    expect(popupPlace({ x: 0, y: 0, width: 800, height: 500 }, 'darwin')).toEqual({
      x: 368,
      y: 12,
      width: 420,
      height: 476,
    });
  });
});
