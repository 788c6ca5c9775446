// The name table: which exposed tool name stands for which (server, tool) pair (DESIGN.md §5).
// Pure functions; resolution is a Map lookup, never a split on "__".
import crypto from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/** Tool names the MCP spec allows; upstream tools outside it are hidden. */
const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_EXPOSED_NAME_LENGTH = 64;
const SHORTENED_HEAD = 55;
const HASH_LENGTH = 8;

export interface ToolListing {
  server: string;
  /** Prefix of the exposed names; default `<server>__`; "" exposes the original names. */
  toolPrefix?: string;
  tools: Tool[];
}

interface NameEntry {
  exposedName: string;
  server: string;
  tool: string;
  /** The upstream's own definition, unchanged (its `name` is the original tool name). */
  definition: Tool;
}

interface HiddenTool {
  server: string;
  tool: string;
  why: string;
}

export interface NameTable {
  resolve(exposedName: string): NameEntry | undefined;
  /** A server's tool by its original name (a session scoped to one server calls tools by those). */
  original(server: string, tool: string): NameEntry | undefined;
  entries(): Iterable<NameEntry>;
  hidden: HiddenTool[];
}

/** The exposed name of one upstream tool: prefix + tool, shortened with a hash past 64 characters. */
export function exposedNameFor(server: string, tool: string, toolPrefix?: string): string {
  const full = (toolPrefix ?? `${server}__`) + tool;
  // Code points, so a non-ASCII prefix is never cut inside a surrogate pair.
  const chars = Array.from(full);
  if (chars.length <= MAX_EXPOSED_NAME_LENGTH) return full;
  const hash = crypto
    .createHash('sha256')
    .update(`${server}/${tool}`, 'utf8')
    .digest('hex')
    .slice(0, HASH_LENGTH);
  return `${chars.slice(0, SHORTENED_HEAD).join('')}_${hash}`;
}

/** Why a name is not a valid MCP tool name, in plain words; undefined when it is valid. */
export function invalidToolNameReason(name: string): string | undefined {
  if (TOOL_NAME_PATTERN.test(name)) return undefined;
  if (name.length === 0) return 'the tool name is empty';
  const length = Array.from(name).length;
  if (length > 128) return `the tool name is ${length} characters long (at most 128)`;
  const bad = Array.from(name).find((c) => !/^[A-Za-z0-9_.-]$/.test(c)) ?? '';
  const codePoint = `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `the tool name contains ${JSON.stringify(bad)} (${codePoint}); tool names may use only A–Z, a–z, 0–9, "_", "." and "-"`;
}

interface Candidate {
  exposedName: string;
  server: string;
  tool: string;
  definition: Tool;
}

export function buildNameTable(listings: readonly ToolListing[]): NameTable {
  const hidden: HiddenTool[] = [];
  const byName = new Map<string, Candidate[]>();

  for (const listing of listings) {
    for (const definition of listing.tools) {
      const tool = definition.name;
      const invalid = invalidToolNameReason(tool);
      if (invalid) {
        hidden.push({ server: listing.server, tool, why: invalid });
        continue;
      }
      const exposedName = exposedNameFor(listing.server, tool, listing.toolPrefix);
      const invalidExposed = invalidToolNameReason(exposedName);
      if (invalidExposed) {
        hidden.push({
          server: listing.server,
          tool,
          why: `its exposed name ${JSON.stringify(exposedName)} is not a valid tool name (check "toolPrefix" in servers.json): ${invalidExposed}`,
        });
        continue;
      }
      const same = byName.get(exposedName);
      const candidate = { exposedName, server: listing.server, tool, definition };
      if (same) same.push(candidate);
      else byName.set(exposedName, [candidate]);
    }
  }

  const table = new Map<string, NameEntry>();
  for (const [exposedName, candidates] of byName) {
    const only = candidates[0];
    if (only && candidates.length === 1) {
      table.set(exposedName, only);
      continue;
    }
    for (const c of candidates) {
      const others = candidates
        .filter((o) => o !== c)
        .map((o) =>
          o.server === c.server && o.tool === c.tool
            ? `another tool of the same name that server "${o.server}" lists twice`
            : `tool "${o.tool}" of server "${o.server}"`,
        );
      hidden.push({
        server: c.server,
        tool: c.tool,
        why: `its exposed name "${exposedName}" collides with ${others.join(' and ')}; every tool involved is hidden (set "toolPrefix" in servers.json to tell them apart)`,
      });
    }
  }

  const byOriginal = new Map<string, NameEntry>();
  for (const entry of table.values()) byOriginal.set(`${entry.server}\u0000${entry.tool}`, entry);
  return {
    resolve: (exposedName) => table.get(exposedName),
    original: (server, tool) => byOriginal.get(`${server}\u0000${tool}`),
    entries: () => table.values(),
    hidden,
  };
}
