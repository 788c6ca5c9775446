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

  /** Looks at a listed definition: pins a new tool; notes a changed one (the old pin stays until accepted). */
  observe(server: string, tool: Tool, trusted: boolean): void {
    const key = this.key(server, tool.name);
    const seen = pinOf(tool);
    const pinned = this.pins[key];
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

  /** What changed in a tool's definition since it was pinned, or undefined when it did not. */
  changeOf(server: string, tool: string): string | undefined {
    const key = this.key(server, tool);
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
