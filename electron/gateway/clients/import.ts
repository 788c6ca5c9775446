// Which of a client's servers move into servers.json, under which names: pure. A server is taken exactly (command,
// args, env, cwd, url, headers); one Gatehouse could not run as the client does (variables only the client fills in,
// keys servers.json does not know) stays in the client's config and is reported.
import { isDeepStrictEqual } from 'node:util';
import { ServerConfig } from '../../../shared/servers.js';
import { formatZodIssues } from '../home/index.js';
import type { ClientKind } from './locations.js';

export interface ImportedServer {
  /** Its name in the client's config. */
  clientName: string;
  /** Its name in servers.json. */
  name: string;
  config: ServerConfig;
  /** servers.json already holds this very server under `name`: nothing to write. */
  reused: boolean;
  /** Why `name` differs from `clientName`, when it does. */
  renamed?: string;
}

export interface KeptServer {
  clientName: string;
  why: string;
}

export interface ImportPlan {
  imports: ImportedServer[];
  kept: KeptServer[];
}

const MAX_NAME = 32;

/** A name servers.json accepts (`^[a-z0-9][a-z0-9-]{0,31}$`), as close to the client's as it can be. */
function serverNameFor(clientName: string): string {
  const name = clientName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_NAME)
    .replace(/-+$/, '');
  return name === '' ? 'server' : name;
}

function withSuffix(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${base.slice(0, MAX_NAME - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** The client's entry as a servers.json entry, or why it cannot be one. */
function toServerConfig(entry: unknown, client: ClientKind): { config: ServerConfig } | { why: string } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return { why: 'it is not an object' };
  if (JSON.stringify(entry).includes('${'))
    return { why: `it uses \${…} variables, which only ${client.label} fills in` };
  const { type, ...rest } = entry as Record<string, unknown>;
  // `type` names the transport; servers.json knows it from `command` or `url` (and keeps it for a URL).
  const candidate = type === undefined || type === 'stdio' ? rest : { ...rest, type };
  const parsed = ServerConfig.safeParse(candidate);
  if (!parsed.success)
    return { why: `servers.json cannot hold it as it is (${formatZodIssues(parsed.error)})` };
  return { config: parsed.data };
}

/** Where each server goes: a free name, or the same server already in servers.json; never over a different one. */
export function planImport(
  entries: [string, unknown][],
  existing: Record<string, ServerConfig>,
  client: ClientKind,
): ImportPlan {
  const plan: ImportPlan = { imports: [], kept: [] };
  const claimed = new Set<string>();
  for (const [clientName, entry] of entries) {
    const result = toServerConfig(entry, client);
    if ('why' in result) {
      plan.kept.push({ clientName, why: result.why });
      continue;
    }
    const inFile = (n: string) => Object.hasOwn(existing, n);
    const fits = (n: string) =>
      !claimed.has(n) && (!inFile(n) || isDeepStrictEqual(existing[n], result.config));
    const base = serverNameFor(clientName);
    let name = base;
    for (let n = 2; !fits(name); n++) name = withSuffix(base, n);
    claimed.add(name);
    const reasons: string[] = [];
    if (base !== clientName) reasons.push('server names are lowercase letters, digits and "-"');
    if (name !== base)
      reasons.push(
        inFile(base)
          ? `servers.json already has a different server "${base}"`
          : `another server here is also "${base}"`,
      );
    plan.imports.push({
      clientName,
      name,
      config: result.config,
      reused: inFile(name),
      ...(reasons.length > 0 ? { renamed: reasons.join('; ') } : {}),
    });
  }
  return plan;
}
