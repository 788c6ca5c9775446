// The tray icon as Electron shows it: one render of a TrayModel (icon, tooltip, title, menu) and the menu's clicks.
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { buildTrayMenu, type TrayAction } from './tray-menu.js';
import { trayLook, type TrayModel } from './tray-state.js';

/** The parts of Electron's Tray and Menu the tray uses (a fake in tests). */
export interface TrayElectron<Menu = unknown> {
  Tray: new (image: string) => TrayHandle<Menu>;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): Menu };
}

interface TrayHandle<Menu> {
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: Menu): void;
  destroy(): void;
}

export interface TrayHandlers extends Record<TrayAction, () => void> {
  'launch-at-login': (enabled: boolean) => void;
}

/** `tray-<icon>.png` (16 px) beside `tray-<icon>@2x.png` (32 px), which Electron picks on HiDPI screens. */
function trayIconPath(iconDir: string, icon: string): string {
  return path.join(iconDir, `tray-${icon}.png`);
}

export function menuTemplate(model: TrayModel, on: TrayHandlers): MenuItemConstructorOptions[] {
  return buildTrayMenu(model).map((item): MenuItemConstructorOptions => {
    if ('separator' in item) return { type: 'separator' };
    if ('toggle' in item) {
      return {
        type: 'checkbox',
        label: item.label,
        checked: item.checked,
        click: () => on[item.toggle](!item.checked),
      };
    }
    const { action } = item;
    return { label: item.label, enabled: item.enabled ?? true, ...(action ? { click: on[action] } : {}) };
  });
}

export function createTray<Menu>(electron: TrayElectron<Menu>, iconDir: string, on: TrayHandlers) {
  let tray: TrayHandle<Menu> | undefined;
  return {
    render(model: TrayModel): void {
      const look = trayLook(model);
      const image = trayIconPath(iconDir, look.icon);
      if (!tray) tray = new electron.Tray(image);
      else tray.setImage(image);
      tray.setToolTip(look.tooltip);
      tray.setTitle(look.title ?? '');
      tray.setContextMenu(electron.Menu.buildFromTemplate(menuTemplate(model, on)));
    },
    destroy(): void {
      tray?.destroy();
      tray = undefined;
    },
  };
}
