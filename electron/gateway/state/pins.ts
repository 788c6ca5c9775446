// Tool-definition pins: the first definition Gatehouse sees of each tool is pinned (state/pins.json). A later change —
// a description that now tells the agent something else, a wider input schema — is held for a person's approval
// (settings.json pinChange "hold") or refused ("deny"), unless the server is in trustedServers.
import crypto from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { parseJsonFile, readTextIfExists, writeFileAtomic } from '../home/files.js';
import { canonicalJson } from '../log/canonical.js';

const Pin = z.object({ hash: z.string(), description: z.string().optional(), schema: z.string() });
/** A pinned definition: its hash, its description, and its schema (input, output, annotations, title) as one JSON. */
export type Pin = z.infer<typeof Pin>;
const PinsFile = z.object({ pins: z.record(z.string(), Pin) });

/** The pins saved in `file`, keyed `<server>/<tool>`: `{}` when there is none, undefined when it is not valid. */
export function readPinsFile(file: string): Record<string, Pin> | undefined {
  const text = readTextIfExists(file);
  if (!text) return {};
  const parsed = PinsFile.safeParse(parseJsonFile(file, text));
  return parsed.success ? parsed.data.pins : undefined;
}

export function pinOf(tool: Tool): Pin {
  const { description, inputSchema, outputSchema, annotations, title } = tool;
  const schema = canonicalJson({
    inputSchema,
    outputSchema: outputSchema ?? null,
    annotations: annotations ?? null,
    title: title ?? null,
  });
  const hash = crypto
    .createHash('sha256')
    .update(canonicalJson({ description: description ?? null, schema }))
    .digest('hex')
    .slice(0, 16);
  return { hash, ...(description !== undefined ? { description } : {}), schema };
}

function clip(text: string | undefined): string {
  if (text === undefined) return '(none)';
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

function describeChange(before: Pin, after: Pin): string {
  const parts: string[] = [];
  if (before.description !== after.description)
    parts.push(`description ${clip(before.description)} → ${clip(after.description)}`);
  if (before.schema !== after.schema) parts.push('its input/output schema or annotations changed');
  return parts.join('; ');
}

export class ToolPins {
  private pins: Record<string, Pin>;
  private readonly pending = new Map<string, Pin>();
  /**
   * New tools listed with the very definition of a pinned tool of the same server that is no longer listed: renamed,
   * not new — held like a changed definition, since rules written for the old name no longer match it.
   */
  private readonly renamed = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly diagnostics: (line: string) => void,
  ) {
    const pins = readPinsFile(file);
    if (!pins) diagnostics(`${file} is not valid: every tool will be pinned again from what is listed now`);
    this.pins = pins ?? {};
  }

  private key(server: string, tool: string): string {
    return `${server}/${tool}`;
  }

  /**
   * Looks at a server's listing: pins each new tool; notes a changed one (the old pin stays until accepted), and a new
   * one whose definition is that of a pinned tool gone from the listing (renamed).
   */
  observeListing(server: string, tools: readonly Tool[], trusted: boolean): void {
    const listed = new Set(tools.map((tool) => tool.name));
    for (const tool of tools) this.observe(server, tool, trusted, listed);
  }

  private observe(server: string, tool: Tool, trusted: boolean, listed: ReadonlySet<string>): void {
    const key = this.key(server, tool.name);
    const seen = pinOf(tool);
    const pinned = this.pins[key];
    const renamedFrom = !pinned && !trusted ? this.goneWithHash(server, seen.hash, listed) : undefined;
    if (renamedFrom !== undefined) {
      if (this.renamed.get(key) !== renamedFrom) {
        this.diagnostics(
          `tool "${tool.name}" of server "${server}" has the definition of "${renamedFrom}", no longer listed: renamed`,
        );
      }
      this.renamed.set(key, renamedFrom);
      this.pending.set(key, seen);
      return;
    }
    this.renamed.delete(key);
    if (!pinned || trusted) {
      if (pinned?.hash !== seen.hash) {
        this.pins[key] = seen;
        this.save();
      }
      this.pending.delete(key);
      return;
    }
    if (pinned.hash === seen.hash) {
      this.pending.delete(key);
      return;
    }
    if (this.pending.get(key)?.hash !== seen.hash) {
      this.diagnostics(
        `tool "${tool.name}" of server "${server}" changed since it was pinned: ${describeChange(pinned, seen)}`,
      );
    }
    this.pending.set(key, seen);
  }

  /** A pinned tool of `server`, not listed now, whose definition has this hash. */
  private goneWithHash(server: string, hash: string, listed: ReadonlySet<string>): string | undefined {
    const prefix = `${server}/`;
    for (const [key, pin] of Object.entries(this.pins)) {
      if (!key.startsWith(prefix) || pin.hash !== hash) continue;
      const name = key.slice(prefix.length);
      if (!listed.has(name)) return name;
    }
    return undefined;
  }

  /** The pinned tool this new one was renamed from (same definition), while a person has not accepted it. */
  renamedFrom(server: string, tool: string): string | undefined {
    return this.renamed.get(this.key(server, tool));
  }

  /** What changed in a tool's definition since it was pinned, or undefined when it did not. */
  changeOf(server: string, tool: string): string | undefined {
    const key = this.key(server, tool);
    const from = this.renamed.get(key);
    if (from !== undefined) {
      return `renamed from "${from}" with the same definition: rules written for "${from}" no longer match it`;
    }
    const seen = this.pending.get(key);
    const pinned = this.pins[key];
    return seen && pinned ? describeChange(pinned, seen) : undefined;
  }

  /** A person accepted the new definition: it becomes the pin. */
  accept(server: string, tool: string): void {
    const key = this.key(server, tool);
    const seen = this.pending.get(key);
    if (!seen) return;
    this.pins[key] = seen;
    this.pending.delete(key);
    this.renamed.delete(key);
    this.save();
  }

  hashOf(server: string, tool: string): string | undefined {
    return this.pins[this.key(server, tool)]?.hash;
  }

  private save(): void {
    try {
      writeFileAtomic(this.file, `${JSON.stringify({ pins: this.pins })}\n`, 0o600);
    } catch (err) {
      this.diagnostics(`cannot save ${this.file}: ${(err as Error).message}`);
    }
  }
}
