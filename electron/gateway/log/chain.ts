// The call log's hash chain: each line names the hash of the line before it (`prev`) and carries its own (`hash`),
// so a record changed, removed, inserted or moved after it was written breaks the chain (README, "The call log").
// A line's hash is the sha256 of its own bytes as stored, up to the hash field: `{…,"prev":"<hex>"}`. The chain starts
// again in each day file; its first line's prev is the last hash of the day file before it (GENESIS when none).
// Pure over lines: verify.ts and call-log.ts do the reading and writing.
import crypto from 'node:crypto';

export const GENESIS = '0'.repeat(64);
const HASH_CHARS = ',"hash":"'.length + 64 + '"}'.length;
const PREV_CHARS = ',"prev":"'.length + 64 + '"'.length;

/**
 * The 64 characters of `field` (`,"hash":"` or `,"prev":"`) when the line holds it at `at`, then a quote. Not checked
 * for hex digits: a hash that is not one matches no line's (the line's own is checked by hashing it).
 */
function hexField(line: string, field: string, at: number): string | undefined {
  if (at < 0 || !line.startsWith(field, at) || line[at + field.length + 64] !== '"') return undefined;
  return line.slice(at + field.length, at + field.length + 64);
}

/** The line to store for a record's JSON text (an object, as JSON.stringify writes it) chained after `prev`. */
export function chainLine(json: string, prev: string): { line: string; hash: string } {
  const body = `${json.slice(0, -1)},"prev":"${prev}"}`;
  const hash = crypto.hash('sha256', body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

/** The hash a stored line claims, or undefined when it has none (a line written before the chain, or not a record). */
export function claimedHash(line: string): string | undefined {
  // Read at its place, the line's end: a pattern anchored at the end would still be tried from the line's start.
  return line.endsWith('"}') ? hexField(line, ',"hash":"', line.length - HASH_CHARS) : undefined;
}

/** The hash of the bytes of a line that claims one, up to its hash field: what its `hash` must be. */
function actualHash(line: string): string {
  return crypto.hash('sha256', `${line.slice(0, -HASH_CHARS)}}`);
}

export type BreakKind = 'changed' | 'removed' | 'inserted' | 'reordered';

/** The first record where the chain does not hold. `line` counts from 1. */
export interface ChainBreak {
  day: string;
  line: number;
  id?: string;
  what: BreakKind;
  message: string;
}

/** What the verifier needs of the day file before: its hashes, and the line of its last decision. */
export interface DayLink {
  day: string;
  head: string | undefined;
  lineOf: ReadonlyMap<string, number>;
  lastDecision: number;
}

export interface DayVerdict {
  day: string;
  /** Chained records (decision and outcome lines). */
  records: number;
  /** The last hash of the day's chain (undefined: the file holds no chained line). */
  head: string | undefined;
  problem?: ChainBreak;
  warnings: string[];
  /** For the next day file's first line. */
  link: DayLink;
}

interface Parsed {
  id?: string;
  prev?: string;
  decision: boolean;
}

/** A line as the writer leaves it: its id first, its prev and hash last. */
const WRITTEN_ID = /^\{"id":("(?:[^"\\]|\\.)*"),/;

function parse(line: string, hash: string | undefined): Parsed | undefined {
  // A line as the writer leaves it is read without parsing it whole (a day of them is verified in about a second);
  // its hash, checked next, vouches for the rest of its bytes.
  const id = WRITTEN_ID.exec(line)?.[1];
  const prev =
    id === undefined || hash === undefined
      ? undefined
      : hexField(line, ',"prev":"', line.length - HASH_CHARS - PREV_CHARS);
  if (id !== undefined && prev !== undefined)
    return {
      id: id.includes('\\') ? (JSON.parse(id) as string) : id.slice(1, -1),
      prev,
      decision: line.includes('"exposedName":"'),
    };
  try {
    const value = JSON.parse(line) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const fields = value as Record<string, unknown>;
    return {
      ...(typeof fields.id === 'string' ? { id: fields.id } : {}),
      ...(typeof fields.prev === 'string' ? { prev: fields.prev } : {}),
      decision: 'exposedName' in fields,
    };
  } catch {
    return undefined;
  }
}

/** A line the verdict waits on: what follows it tells which way the chain broke. */
interface Suspect {
  line: number;
  id: string | undefined;
  /** `prev`: names no line seen so far; `bytes`: its bytes do not match its hash. */
  kind: 'prev' | 'bytes';
  prev: string;
  hash: string;
}

/**
 * Walks one day file's lines in order. `before`: the day file before it, walked first — or undefined when it is not
 * verified (the first file of a walk), in which case the first line's prev is taken as given. `light`: keeps nothing
 * per line (a day's worth of hashes is tens of MB) but the lines since the last decision — it tells whether the chain
 * holds, its head and its link to the next day; once it does not hold (`intact` false), walk the day again without it
 * to learn what broke.
 */
export class DayChain {
  private records = 0;
  private head: string | undefined;
  private last = -1;
  private lastDecision = -1;
  private unchained = 0;
  private readonly fragments: number[] = [];
  private readonly lineOf = new Map<string, number>();
  private readonly ids: (string | undefined)[] = [];
  private problem: ChainBreak | undefined;
  private suspect: Suspect | undefined;

  constructor(
    private readonly day: string,
    private readonly before: DayLink | undefined,
    private readonly light = false,
  ) {}

  /** No break and nothing suspect so far. */
  get intact(): boolean {
    return this.problem === undefined && this.suspect === undefined;
  }

  /** One line; `index` counts from 0. */
  push(line: string, index: number): void {
    if (this.problem) return;
    const hash = claimedHash(line);
    const parsed = parse(line, hash);
    if (this.suspect) {
      this.judge(this.suspect, index, parsed, hash);
      return;
    }
    if (!parsed) {
      // A line cut short has no hash field; a whole line that no longer parses was changed.
      if (hash === undefined) this.fragments.push(index);
      else this.suspect = { line: index, id: undefined, kind: 'bytes', prev: '', hash };
      return;
    }
    this.last = index;
    if (!this.light) this.ids[index] = parsed.id;
    if (hash === undefined) {
      if (this.head === undefined) this.unchained++;
      else this.fail(index, 'inserted', 'has no hash: it was added after the chain began');
      return;
    }
    const prev = parsed.prev ?? '';
    if (actualHash(line) !== hash) {
      this.suspect = { line: index, id: parsed.id, kind: 'bytes', prev, hash };
      return;
    }
    if (this.head === undefined ? this.linksToDayBefore(index, prev) : prev === this.head) {
      // Light, only the lines since the last decision are kept: the next day's first line may name one of them.
      if (this.light && parsed.decision) this.lineOf.clear();
      this.lineOf.set(hash, index);
      this.head = hash;
      this.records++;
      if (parsed.decision) this.lastDecision = index;
      return;
    }
    if (this.problem) return;
    const original = this.lineOf.get(hash);
    if (original !== undefined) {
      this.fail(index, 'inserted', `was inserted: it is a copy of line ${original + 1}`);
      return;
    }
    const earlier = this.lineOf.get(prev);
    if (earlier !== undefined) {
      this.fail(
        earlier + 1,
        'inserted',
        `was inserted: line ${index + 1} names line ${earlier + 1} as its predecessor`,
      );
      return;
    }
    this.suspect = { line: index, id: parsed.id, kind: 'prev', prev, hash };
  }

  /** The lines after a suspect tell what happened to it; a suspect with nothing after it is settled by end(). */
  private judge(suspect: Suspect, index: number, parsed: Parsed | undefined, hash: string | undefined): void {
    if (suspect.kind === 'bytes') {
      // The next record names the line before the suspect: the suspect was put in between.
      if (parsed?.prev !== undefined && parsed.prev === this.head && this.head !== undefined)
        this.fail(suspect.line, 'inserted', 'was inserted: the record after it names the one before it');
      else if (parsed || hash !== undefined) this.settle(suspect);
      return;
    }
    if (hash === undefined) return;
    if (hash === suspect.hash) {
      this.fail(suspect.line, 'inserted', `was inserted: it is a copy of line ${index + 1}`);
      return;
    }
    this.lineOf.set(hash, index);
  }

  private settle(suspect: Suspect): void {
    this.problem = this.settled(suspect);
  }

  /** What a suspect with nothing after it to tell otherwise turns out to be. */
  private settled(suspect: Suspect): ChainBreak {
    if (suspect.kind === 'bytes')
      return this.breakAt(
        suspect.line,
        'changed',
        'was changed after it was written: its bytes no longer match its hash',
      );
    const later = this.lineOf.get(suspect.prev);
    return later !== undefined && later > suspect.line
      ? this.breakAt(
          suspect.line,
          'reordered',
          `comes before line ${later + 1}, the record it follows: they were reordered`,
        )
      : this.breakAt(
          suspect.line,
          'removed',
          'names a hash that no line has: the record before it was removed (or changed and its hash rewritten)',
        );
  }

  /** The first chained line names the end of the day before (or a line after which only outcomes came late). */
  private linksToDayBefore(index: number, prev: string): boolean {
    const before = this.before;
    if (before === undefined) return true;
    if (prev === (before.head ?? GENESIS)) return true;
    const at = before.lineOf.get(prev);
    if (at !== undefined && at >= before.lastDecision) return true;
    this.fail(
      index,
      at === undefined ? 'removed' : 'inserted',
      at === undefined
        ? `names a hash that no line of ${before.day}.jsonl has: the end of that day was removed or changed`
        : `names line ${at + 1} of ${before.day}.jsonl, but decisions follow it there: they were inserted`,
    );
    return false;
  }

  private fail(index: number, what: BreakKind, words: string): void {
    this.problem = this.breakAt(index, what, words);
  }

  private breakAt(index: number, what: BreakKind, words: string): ChainBreak {
    const id = this.ids[index] ?? (this.suspect?.line === index ? this.suspect.id : undefined);
    return {
      day: this.day,
      line: index + 1,
      ...(id !== undefined ? { id } : {}),
      what,
      message: `${this.day}.jsonl line ${index + 1}: ${id !== undefined ? `record ${id}` : 'the line'} ${words}`,
    };
  }

  /** The verdict on the lines pushed so far (more may be pushed after it, as the day file grows). */
  end(): DayVerdict {
    const problem = this.problem ?? (this.suspect ? this.settled(this.suspect) : undefined);
    const warnings: string[] = [];
    if (this.unchained > 0)
      warnings.push(
        `${this.day}.jsonl: ${this.unchained} line(s) written before the chain began (not provable)`,
      );
    for (const at of this.fragments)
      warnings.push(
        at > this.last
          ? `${this.day}.jsonl line ${at + 1}: a torn last line (a gateway killed mid-write), skipped`
          : `${this.day}.jsonl line ${at + 1}: a torn line ended at a restart, skipped (not a record)`,
      );
    return {
      day: this.day,
      records: this.records,
      head: this.head,
      ...(problem ? { problem } : {}),
      warnings,
      link: { day: this.day, head: this.head, lineOf: this.lineOf, lastDecision: this.lastDecision },
    };
  }
}
