// Process groups of upstream children: how to spawn a command (cmd.exe shims on Windows) and how to end a whole group.
import { spawn } from 'node:child_process';
import path from 'node:path';

const isWindows = process.platform === 'win32';

export interface SpawnPlan {
  file: string;
  args: string[];
  windowsVerbatimArguments: boolean;
}

// cmd.exe metacharacters, escaped with "^" the way cross-spawn does it.
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;

function escapeCommand(command: string): string {
  return command.replace(CMD_META, '^$1');
}

function escapeArgument(arg: string): string {
  // Backslashes before a quote or at the end are doubled, quotes escaped, then the whole is quoted for cmd.exe.
  const quoted = `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1')}"`;
  return quoted.replace(CMD_META, '^$1');
}

/**
 * How to start `command args` without a shell. On Windows anything but an .exe/.com (npx, uvx, a .cmd shim)
 * goes through cmd.exe with cross-spawn's escaping, since CreateProcess cannot start a .cmd file itself.
 */
export function spawnPlan(command: string, args: readonly string[], platform = process.platform): SpawnPlan {
  if (platform !== 'win32' || /\.(?:com|exe)$/i.test(command)) {
    return { file: command, args: [...args], windowsVerbatimArguments: false };
  }
  const line = [escapeCommand(path.win32.normalize(command)), ...args.map(escapeArgument)].join(' ');
  return {
    file: process.env.comspec ?? 'cmd.exe',
    args: ['/d', '/s', '/c', `"${line}"`],
    windowsVerbatimArguments: true,
  };
}

/** Sends a signal to the process group led by `pid` (the whole tree on Windows). False when nothing was there. */
function signalGroup(pid: number, signal: 'SIGTERM' | 'SIGKILL'): boolean {
  if (isWindows) {
    // Windows has no process groups: taskkill /T ends the tree; there is no gentle form for console programs.
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], {
      stdio: 'ignore',
      windowsHide: true,
    });
    killer.on('error', () => undefined);
    return true;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Whether any process of the group led by `pid` is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(isWindows ? pid : -pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Ends the process group led by `pid`: SIGTERM, then SIGKILL to whatever is left after `graceMs`.
 * Resolves once the group is gone or SIGKILL was sent.
 */
export async function terminateGroup(pid: number, graceMs: number): Promise<void> {
  if (isWindows) {
    signalGroup(pid, 'SIGKILL');
    return;
  }
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    if (!groupAlive(pid)) return;
  }
  signalGroup(pid, 'SIGKILL');
}
