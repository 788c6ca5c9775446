// The home lock: one gateway per home directory. A second one refuses to start and names the first one's pid.
import fs from 'node:fs';

export class HomeLockedError extends Error {
  constructor(
    readonly pid: number,
    home: string,
  ) {
    super(
      `another Gatehouse gateway (pid ${pid}) is already serving ${home}; stop it first, or use another --home`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: a second gateway in the same process (the app's tests, a bug) is refused too. */
const heldHere = new Set<string>();

/** Takes the lock or throws HomeLockedError; a lock left by a dead process is taken over. Returns the release function. */
export function acquireHomeLock(lockFile: string, home: string): () => void {
  if (heldHere.has(lockFile)) throw new HomeLockedError(process.pid, home);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      heldHere.add(lockFile);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(lockFile);
        try {
          if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid))
            fs.rmSync(lockFile, { force: true });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8').trim(), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
      throw new HomeLockedError(pid, home);
    fs.rmSync(lockFile, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not take the lock ${lockFile}; remove it if no gateway is running`);
}
