// `gatehouse bridge --server S`: only server S's tools, under their original names. The gateway's name table
// (GET /api/tools) maps each original name to the exposed one the call is sent as, so the policy still applies.
import { z } from 'zod';
import type { RuntimeInfo } from '../home/runtime.js';
import { describeError } from './failures.js';

const ToolRows = z.object({
  tools: z.array(z.object({ server: z.string(), tool: z.string(), exposedName: z.string() })),
});

/** A tool as listed by the gateway: only its name is looked at, everything else passes through unchanged. */
export interface ListedTool {
  name: string;
  [key: string]: unknown;
}

export class ServerScope {
  private exposedNames = new Map<string, string>();
  private originalNames = new Map<string, string>();
  private loading: Promise<void> = Promise.resolve();
  private lastNote: string | undefined;

  constructor(
    readonly server: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads the name table again (after connecting and on every tools/list_changed). */
  refresh(runtime: RuntimeInfo): Promise<void> {
    this.loading = this.load(runtime).catch((err: unknown) =>
      this.note(`cannot read the gateway's tool names (GET /api/tools): ${describeError(err)}`),
    );
    return this.loading;
  }

  /** The gateway's tools of this server, renamed to their original names. */
  async expose(tools: ListedTool[]): Promise<ListedTool[]> {
    await this.loading;
    return tools.flatMap((t) => {
      const original = this.originalNames.get(t.name);
      return original === undefined ? [] : [{ ...t, name: original }];
    });
  }

  /** The exposed name a call to `tool` is sent as; the table is read again once when the name is not in it. */
  async exposedNameOf(tool: string, runtime: RuntimeInfo): Promise<string | undefined> {
    await this.loading;
    if (!this.exposedNames.has(tool)) await this.refresh(runtime);
    return this.exposedNames.get(tool);
  }

  private async load(runtime: RuntimeInfo): Promise<void> {
    const res = await fetch(`${runtime.controlUrl}/tools`, {
      headers: { authorization: `Bearer ${runtime.adminToken}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`the gateway answered ${res.status}`);
    const { tools } = ToolRows.parse(await res.json());
    const exposed = new Map<string, string>();
    const original = new Map<string, string>();
    for (const row of tools) {
      if (row.server !== this.server) continue;
      exposed.set(row.tool, row.exposedName);
      original.set(row.exposedName, row.tool);
    }
    this.exposedNames = exposed;
    this.originalNames = original;
    this.note(
      exposed.size === 0
        ? `the gateway has no tools of server "${this.server}" (yet): check its name in servers.json`
        : `exposing ${exposed.size} tools of server "${this.server}"`,
    );
  }

  private note(line: string): void {
    if (line === this.lastNote) return;
    this.lastNote = line;
    this.log(line);
  }
}
