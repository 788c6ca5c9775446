// What is wrong with a servers.json the schema refuses, in words that say how to fix it: the server name and key at
// fault, a name that breaks the rule with the rule, a misspelt key with the key it most likely meant, and the schema's
// own message for a value of the wrong kind — checked against the shape the entry is (a command or a URL).
import type { z } from 'zod';
import { HttpServerConfig, SERVER_NAME_PATTERN, StdioServerConfig } from '../../../shared/servers.js';

const STDIO_KEYS = Object.keys(StdioServerConfig.shape);
const HTTP_KEYS = Object.keys(HttpServerConfig.shape);
const ALL_KEYS = [...new Set([...STDIO_KEYS, ...HTTP_KEYS])];

/** How many single-character edits turn `a` into `b` (Levenshtein): short keys only, so the plain table is enough. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** The known key a misspelt one most likely meant (two edits at most, or the same letters in another case). */
function meant(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : distance(key, candidate);
    if (d <= 2 && (best === undefined || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function issuesOf(at: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${[at, ...issue.path.map(String)].join('.')}: ${issue.message}`);
}

function entryProblems(name: string, entry: unknown): string[] {
  const at = `mcpServers.${name}`;
  const problems: string[] = [];
  if (!SERVER_NAME_PATTERN.test(name)) {
    const suggestion = name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 32);
    problems.push(
      `${at}: "${name}" is not a server name — use 1–32 lowercase letters, digits and "-", not starting with "-"${suggestion ? ` (e.g. "${suggestion}")` : ''}`,
    );
  }
  if (!isObject(entry)) return [...problems, `${at}: must be an object with "command" (and "args") or "url"`];
  const isHttp = 'url' in entry;
  const known = isHttp ? HTTP_KEYS : STDIO_KEYS;
  for (const key of Object.keys(entry)) {
    if (known.includes(key)) continue;
    const guess = meant(key, isHttp ? HTTP_KEYS : ALL_KEYS);
    problems.push(
      guess !== undefined
        ? `${at}: unknown key "${key}" — did you mean "${guess}"?`
        : `${at}: unknown key "${key}" (a server has ${known.map((k) => `"${k}"`).join(', ')})`,
    );
  }
  if (
    !isHttp &&
    !('command' in entry) &&
    !Object.keys(entry).some((k) => meant(k, ['command']) === 'command')
  ) {
    problems.push(
      `${at}: needs "command" (the program to run, with "args") or "url" (a server to connect to)`,
    );
  }
  if (problems.length > 0) return problems;
  const parsed = (isHttp ? HttpServerConfig : StdioServerConfig).safeParse(entry);
  return parsed.success ? [] : issuesOf(at, parsed.error);
}

/** Every problem of a servers.json value, one per line's worth; empty when the schema's refusal lies elsewhere. */
export function serversProblems(value: unknown): string[] {
  if (!isObject(value))
    return ['(top level): must be an object like {"mcpServers": {"NAME": {"command": "…"}}}'];
  const servers = value.mcpServers;
  if (servers === undefined) return [];
  if (!isObject(servers)) return ['mcpServers: must be an object of servers by name'];
  return Object.entries(servers).flatMap(([name, entry]) => entryProblems(name, entry));
}
