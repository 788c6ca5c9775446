// What a client's config becomes when Gatehouse is put into it: pure, text in, text out. Its servers leave for
// servers.json and one Gatehouse entry takes their place (or, per server, one entry under each server's own name);
// every other byte of the file stays as it was. Run twice, the second run finds its own entries and changes nothing.
import type { ServerConfig } from '../../../shared/servers.js';
import { applyPolicyEdits, type PolicyEdit } from '../policy/edit.js';
import { ConnectError, parseConfigText } from './config-file.js';
import { entryServer, gatehouseEntry, isGatehouseEntry, type EntryTarget } from './entries.js';
import { planImport, type ImportedServer, type KeptServer } from './import.js';
import type { ClientKind } from './locations.js';

export interface ConnectInput {
  client: ClientKind;
  file: string;
  text: string;
  /** servers.json's servers now. */
  existing: Record<string, ServerConfig>;
  target: EntryTarget;
  perServer: boolean;
  noImport: boolean;
}

export interface ConnectPlan {
  /** The config's new text (the same text when there is nothing to change). */
  text: string;
  changed: boolean;
  imports: ImportedServer[];
  /** Servers left in the client's config, and why: they do not go through Gatehouse. */
  kept: KeptServer[];
  /** Entries written: their name in the client's config and the server they are narrowed to, if any. */
  added: { name: string; server?: string }[];
  /** Gatehouse entries the config already had. */
  present: string[];
  /** Gatehouse URL entries pointed at the gateway's current port. */
  moved: string[];
}

type Entries = Record<string, unknown>;

/** The servers of a client's config as [name, entry] pairs ({} when it has none). */
export function clientServers(client: ClientKind, file: string, text: string): [string, unknown][] {
  const root = parseConfigText(file, text, client.comments) as Entries;
  const servers = root[client.serversKey];
  if (servers === undefined) return [];
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers))
    throw new ConnectError(`${file}: "${client.serversKey}" is not an object`, 'Fix the file and run again');
  return Object.entries(servers as Entries);
}

function urlOf(servers: [string, unknown][], name: string): unknown {
  return (servers.find(([n]) => n === name)?.[1] as { url?: unknown } | undefined)?.url;
}

function freeName(wanted: string, used: Set<string>): string {
  let name = wanted;
  for (let n = 2; used.has(name); n++) name = `${wanted}-${n}`;
  return name;
}

export function planConnect(input: ConnectInput): ConnectPlan {
  const { client, target } = input;
  const servers = clientServers(client, input.file, input.text);
  const present = servers.filter(([, entry]) => isGatehouseEntry(entry)).map(([name]) => name);
  const others = servers.filter(([name]) => !present.includes(name));
  const { imports, kept } = input.noImport
    ? { imports: [], kept: others.map(([clientName]) => ({ clientName, why: 'not imported (--no-import)' })) }
    : planImport(others, input.existing, client);

  const key = client.serversKey;
  // A config connected before keeps its way: one entry for all, or one per server (whatever the flag says now).
  const whole = present.some((name) => entryServer(servers.find(([n]) => n === name)?.[1]) === undefined);
  const perServer = present.length > 0 ? !whole : input.perServer;
  const edits: PolicyEdit[] = [];
  const added: ConnectPlan['added'] = [];
  for (const server of imports) {
    if (perServer) {
      // In its own place: the entry keeps the server's name and position in the file.
      edits.push({ path: [key, server.clientName], value: gatehouseEntry(target, client, server.name) });
      added.push({ name: server.clientName, server: server.name });
    } else edits.push({ path: [key, server.clientName], value: null });
  }
  // Per server, one entry for everything only when there would be no Gatehouse entry at all (nothing to import).
  if (perServer ? present.length === 0 && added.length === 0 : !whole) {
    const name = freeName('gatehouse', new Set(servers.map(([n]) => n)));
    edits.push({ path: [key, name], value: gatehouseEntry(target, client) });
    added.push({ name });
  }
  // The gateway's port changed since (settings.json): the entries follow it, their tokens kept.
  const url = target.kind === 'url' ? target.url : undefined;
  const moved = url === undefined ? [] : present.filter((name) => urlOf(servers, name) !== url);
  for (const name of moved) edits.push({ path: [key, name, 'url'], value: url });
  const base = input.text.trim() === '' ? '{}\n' : input.text;
  const text = edits.length === 0 ? input.text : applyPolicyEdits(base, edits);
  return { text, changed: text !== input.text, imports, kept, added, present, moved };
}
