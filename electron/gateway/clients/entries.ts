// The entries Gatehouse writes into a client's config, and how it recognises them again (so connecting twice changes
// nothing): the bridge command (stdio), or the gateway's URL with a grant's bearer token.
import type { ClientKind } from './locations.js';

/** How to start the bridge: an absolute program and the arguments up to the subcommand (`…/gatehouse.js bridge`). */
export interface Launcher {
  command: string;
  args: string[];
}

export type EntryTarget =
  | { kind: 'bridge'; launcher: Launcher; grant: string; homeArgs: string[] }
  | { kind: 'url'; url: string; token: string };

type Entry = Record<string, unknown>;

/** The Gatehouse entry for `client`: every server through the gateway, or only `server` (`--per-server`). */
export function gatehouseEntry(target: EntryTarget, client: ClientKind, server?: string): Entry {
  const typed = client.name === 'vscode' || client.name === 'claude-code';
  if (target.kind === 'bridge') {
    const args = [...target.launcher.args, '--grant', target.grant, ...target.homeArgs];
    if (server !== undefined) args.push('--server', server);
    return { ...(typed ? { type: 'stdio' } : {}), command: target.launcher.command, args };
  }
  const headers: Record<string, string> = { Authorization: `Bearer ${target.token}` };
  if (server !== undefined) headers['X-Gatehouse-Server'] = server;
  return { ...(typed ? { type: 'http' } : {}), url: target.url, headers };
}

function isObject(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bearer token of a Gatehouse URL entry (tokens of grants start `gh_`). */
export function entryToken(entry: unknown): string | undefined {
  if (!isObject(entry) || !isObject(entry.headers)) return undefined;
  const auth = entry.headers.Authorization;
  const match = typeof auth === 'string' ? /^Bearer (gh_[A-Za-z0-9_-]+)$/.exec(auth) : null;
  return match?.[1];
}

function isLoopbackMcp(url: unknown): boolean {
  if (typeof url !== 'string' || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  return ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) && parsed.pathname === '/mcp';
}

/** Whether an entry of a client's config is one Gatehouse wrote: the bridge, or the gateway's URL with a grant token. */
export function isGatehouseEntry(entry: unknown): boolean {
  if (!isObject(entry)) return false;
  if (typeof entry.url === 'string') return isLoopbackMcp(entry.url) && entryToken(entry) !== undefined;
  const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === 'string') : [];
  const program = [String(entry.command), ...args].some((word) => /gatehouse/i.test(word));
  return program && (args.includes('bridge') || args.includes('--bridge')) && args.includes('--grant');
}

/** The server a per-server entry is narrowed to, if any. */
export function entryServer(entry: unknown): string | undefined {
  if (!isObject(entry)) return undefined;
  if (isObject(entry.headers) && typeof entry.headers['X-Gatehouse-Server'] === 'string')
    return entry.headers['X-Gatehouse-Server'];
  const args = Array.isArray(entry.args) ? entry.args : [];
  const at = args.indexOf('--server');
  return at >= 0 && typeof args[at + 1] === 'string' ? (args[at + 1] as string) : undefined;
}
