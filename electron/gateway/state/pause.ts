// The pause switch, kept in state/pause.json so that a restart does not quietly resume. What it does to a call is
// policy/overrides.ts: every call that the policy does not deny goes to approval or is denied (`pauseMode`).
import { z } from 'zod';
import { parseJsonFile, readTextIfExists, writeFileAtomic } from '../home/files.js';

export const PauseFile = z.object({ paused: z.boolean(), since: z.string().optional() });
export type PauseFile = z.infer<typeof PauseFile>;

function readPause(file: string): PauseFile {
  const text = readTextIfExists(file);
  if (text === undefined) return { paused: false };
  const parsed = PauseFile.safeParse(parseJsonFile(file, text));
  // An unreadable pause file fails closed: paused.
  return parsed.success ? parsed.data : { paused: true, since: new Date().toISOString() };
}

export function writePause(file: string, state: PauseFile): void {
  writeFileAtomic(file, `${JSON.stringify(state)}\n`, 0o600);
}

/** The switch as the gateway holds it: read at start, written at every change. */
export class PauseSwitch {
  private paused: boolean;
  private readonly resumeListeners = new Set<() => void>();

  constructor(
    private readonly file: string,
    private readonly clock: () => number,
  ) {
    this.paused = readPause(file).paused;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Sets the switch; false when it was already so. */
  set(paused: boolean): boolean {
    if (paused === this.paused) return false;
    writePause(this.file, { paused, since: new Date(this.clock()).toISOString() });
    this.paused = paused;
    if (!paused) for (const listener of [...this.resumeListeners]) listener();
    return true;
  }

  /** Tells `listener` at every resume; returns how to stop listening. */
  onResume(listener: () => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }
}
