// The Electron main process: composition root. Builds the gateway and the shell, wires them; nothing else.
import { app } from 'electron';

app.whenReady().then(() => {
  // The shell (tray, windows, approval popup) is built in a later step; the gateway core runs in plain Node.
  app.quit();
});
