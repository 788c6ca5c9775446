// Approvals a person gave that outlive one call: "approve for N minutes" (grant, server, tool, optionally the exact
// arguments) and late approvals (given after the client stopped waiting: single-use, for an identical retry within
// 10 minutes). Kept in state/approvals.json so a restart does not forget them.
import { z } from 'zod';
import { parseJsonFile, readTextIfExists, writeFileAtomic } from '../home/files.js';

export const LATE_APPROVAL_MS = 10 * 60_000;

const Entry = z.object({
  kind: z.enum(['temporary', 'late']),
  grant: z.string(),
  server: z.string(),
  tool: z.string(),
  /** sha256 of the canonical arguments; absent = any arguments. */
  argsHash: z.string().optional(),
  expiresAt: z.number(),
  approvedBy: z.string(),
});
export type RememberedApproval = z.infer<typeof Entry>;
const FileSchema = z.object({ approvals: z.array(Entry) });

export interface CallIdentity {
  grant: string;
  server: string;
  tool: string;
  argsHash: string;
}

export class RememberedApprovals {
  private entries: RememberedApproval[];

  constructor(
    private readonly file: string | undefined,
    private readonly clock: () => number,
    private readonly diagnostics: (line: string) => void,
  ) {
    this.entries = this.load();
  }

  private load(): RememberedApproval[] {
    if (!this.file) return [];
    const text = readTextIfExists(this.file);
    if (!text) return [];
    const parsed = FileSchema.safeParse(parseJsonFile(this.file, text));
    if (!parsed.success) {
      this.diagnostics(`${this.file} is not valid; remembered approvals are forgotten (fail closed)`);
      return [];
    }
    return parsed.data.approvals.filter((e) => e.expiresAt > this.clock());
  }

  private save(): void {
    if (!this.file) return;
    try {
      writeFileAtomic(this.file, `${JSON.stringify({ approvals: this.entries })}\n`, 0o600);
    } catch (err) {
      this.diagnostics(`cannot save remembered approvals: ${(err as Error).message}`);
    }
  }

  add(entry: RememberedApproval): void {
    this.entries = this.entries.filter((e) => e.expiresAt > this.clock());
    this.entries.push(entry);
    this.save();
  }

  /**
   * The remembered approval that covers this call, if any (of one kind only, when `only` is given). A late approval
   * is used up by the match (single-use); a temporary one stays until it expires.
   */
  take(call: CallIdentity, only?: RememberedApproval['kind']): RememberedApproval | undefined {
    const now = this.clock();
    const index = this.entries.findIndex(
      (e) =>
        (only === undefined || e.kind === only) &&
        e.expiresAt > now &&
        e.grant === call.grant &&
        e.server === call.server &&
        e.tool === call.tool &&
        (e.argsHash === undefined || e.argsHash === call.argsHash),
    );
    if (index < 0) return undefined;
    const entry = this.entries[index]!;
    if (entry.kind === 'late') {
      this.entries.splice(index, 1);
      this.save();
    }
    return entry;
  }

  list(): readonly RememberedApproval[] {
    return this.entries.filter((e) => e.expiresAt > this.clock());
  }
}
