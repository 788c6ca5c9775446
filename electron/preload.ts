// The preload script: exposes `window.gatehouse` with only invoke(op, input) and on(listener) — never ipcRenderer
// itself, so a page can reach nothing but the control operations the main process checks (shell/ipc.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { GatehouseBridge, InvokeResult } from '../shared/api/ipc-client.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, SUBSCRIBE_CHANNEL } from './shell/ipc-channels.js';

const listeners = new Set<(event: unknown) => void>();
const deliver = (_event: IpcRendererEvent, gatewayEvent: unknown) => {
  for (const listener of listeners) listener(gatewayEvent);
};

const bridge: GatehouseBridge = {
  invoke: (operation, input) => ipcRenderer.invoke(INVOKE_CHANNEL, operation, input) as Promise<InvokeResult>,
  on(listener) {
    // One subscription per window, whatever the number of listeners in it.
    if (listeners.size === 0) {
      ipcRenderer.on(EVENT_CHANNEL, deliver);
      void ipcRenderer.invoke(SUBSCRIBE_CHANNEL, true);
    }
    listeners.add(listener);
    return () => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      ipcRenderer.removeListener(EVENT_CHANNEL, deliver);
      void ipcRenderer.invoke(SUBSCRIBE_CHANNEL, false);
    };
  },
};

contextBridge.exposeInMainWorld('gatehouse', bridge);
