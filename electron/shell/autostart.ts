// Launch at login: an XDG autostart entry on Linux (~/.config/autostart/gatehouse.desktop), the login items of
// macOS and Windows through Electron's app.setLoginItemSettings.
import fs from 'node:fs';
import path from 'node:path';

export interface AutostartOptions {
  platform: NodeJS.Platform;
  /** The app's binary (appExecutable). */
  execPath: string;
  /** $XDG_CONFIG_HOME, or ~/.config. */
  configDir: string;
  app: {
    setLoginItemSettings(settings: { openAtLogin: boolean }): void;
    getLoginItemSettings(): { openAtLogin: boolean };
  };
}

/**
 * The file that starts the app: an AppImage runs from a mount that changes at every start, so its login entry names
 * the AppImage itself (APPIMAGE, set by its runtime).
 */
export function appExecutable(env: NodeJS.ProcessEnv, execPath: string): string {
  return env.APPIMAGE ?? execPath;
}

/** A desktop entry's Exec value: arguments with spaces or quotes are quoted (freedesktop Desktop Entry spec). */
function execValue(execPath: string): string {
  return /[\s"'\\$`]/.test(execPath) ? `"${execPath.replace(/(["\\$`])/g, '\\$1')}"` : execPath;
}

export function desktopEntry(execPath: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Gatehouse',
    'Comment=A policy gate between AI agents and the MCP tools they call',
    `Exec=${execValue(execPath)}`,
    'Icon=gatehouse',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartFile(configDir: string): string {
  return path.join(configDir, 'autostart', 'gatehouse.desktop');
}

export function isLaunchAtLogin(options: AutostartOptions): boolean {
  if (options.platform === 'linux') return fs.existsSync(autostartFile(options.configDir));
  return options.app.getLoginItemSettings().openAtLogin;
}

export function setLaunchAtLogin(options: AutostartOptions, enabled: boolean): void {
  if (options.platform !== 'linux') {
    options.app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  const file = autostartFile(options.configDir);
  if (enabled) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, desktopEntry(options.execPath));
  } else {
    fs.rmSync(file, { force: true });
  }
}
