// The shell's own preferences (DESIGN.md §1: only these live in electron-store): where each window was left and
// whether Gatehouse starts at login. Read through a schema: a hand-edited or older store falls back to defaults.
import { z } from 'zod';

/** What the preferences need of electron-store (an in-memory map in tests: electron-store runs only in Electron). */
export interface PrefsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const Bounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type WindowBounds = z.infer<typeof Bounds>;

export type WindowName = 'dashboard' | 'popup';

export function createPrefs(store: PrefsStore) {
  return {
    windowBounds(name: WindowName): WindowBounds | undefined {
      const parsed = Bounds.safeParse(store.get(`windowBounds.${name}`));
      return parsed.success ? parsed.data : undefined;
    },
    setWindowBounds(name: WindowName, bounds: WindowBounds): void {
      store.set(`windowBounds.${name}`, Bounds.parse(bounds));
    },
    launchAtLogin(): boolean {
      return store.get('launchAtLogin') === true;
    },
    setLaunchAtLogin(enabled: boolean): void {
      store.set('launchAtLogin', enabled);
    },
  };
}
