// What a generated history holds, day by day (DIR/manifest.json): what the bench checks the gateway's answers against.

export interface HistoryPlan {
  callsPerDay: number;
  days: number;
  /** The newest day (YYYY-MM-DD, UTC). */
  lastDay: string;
  seed?: number;
}

/** Planted in the arguments: a search for each has a known answer. */
export const MARKERS = {
  /** In about one call in a thousand. */
  rare: 'quokka-ledger',
  /** In ten calls of the whole history, spread over it. */
  veryRare: 'basilisk-manifest',
  /** In none, and made of letters found nowhere in the history: an index of the days' text can skip every day. */
  nothing: 'zyzzyva-orrery',
  /** In none, though each of its words (and every three letters of it) is everywhere: every day must be read. */
  absentPhrase: 'canary rollout milestone queue timeout',
} as const;

export interface DayCounts {
  day: string;
  calls: number;
  lines: number;
  bytes: number;
  /** Calls by final status (after their outcome lines). */
  statuses: Record<string, number>;
  /** Calls by `server|final status`. */
  serverStatuses: Record<string, number>;
  /** Calls whose arguments hold each marker. */
  rare: number;
  veryRare: number;
}

export interface Manifest {
  plan: HistoryPlan;
  markers: typeof MARKERS;
  days: DayCounts[];
  calls: number;
  lines: number;
  bytes: number;
  generateMs: number;
}

export function emptyCounts(day: string): DayCounts {
  return { day, calls: 0, lines: 0, bytes: 0, statuses: {}, serverStatuses: {}, rare: 0, veryRare: 0 };
}
