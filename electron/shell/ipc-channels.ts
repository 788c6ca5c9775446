// The Electron IPC channels between the preload and the main process (ipc.ts). Constants only: the sandboxed preload
// bundles this file and may require nothing but electron.
export const INVOKE_CHANNEL = 'gatehouse:invoke';
/** A window asks for the gateway's events (true) or stops them (false). */
export const SUBSCRIBE_CHANNEL = 'gatehouse:subscribe';
export const EVENT_CHANNEL = 'gatehouse:event';
