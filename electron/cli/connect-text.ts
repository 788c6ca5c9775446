// What `gatehouse connect` shows before it asks: where each server goes, what the client's config gets, the backup,
// and the starting policy. Secrets are not shown: env and header values masked, a new grant's token never.
import type { ServerConfig } from '../../shared/servers.js';
import { maskServerConfig } from '../gateway/control/mask.js';
import type { PreparedConnect } from '../gateway/clients/connect.js';
import { READ_RULES } from '../gateway/clients/starting-policy.js';

function describe(server: ServerConfig): string {
  const masked = maskServerConfig(server) as Partial<
    Record<string, string & string[] & Record<string, string>>
  >;
  if ('url' in server) {
    const headers = Object.keys(server.headers ?? {});
    return `url ${String(masked.url)}${headers.length > 0 ? ` (headers: ${headers.join(', ')})` : ''}`;
  }
  const words = [server.command, ...((masked.args as string[] | undefined) ?? [])].map((w) =>
    /\s/.test(w) ? JSON.stringify(w) : w,
  );
  const env = Object.keys(server.env ?? {});
  const where = server.cwd ? ` in ${server.cwd}` : '';
  return `${words.join(' ')}${env.length > 0 ? ` (env: ${env.join(', ')})` : ''}${where}`;
}

function entryText(prepared: PreparedConnect, server?: string): string {
  const { target } = prepared;
  if (target.kind === 'url')
    return `${target.url} with the grant "${prepared.grant.name}"'s token${server ? ` and X-Gatehouse-Server: ${server}` : ''}`;
  const args = [...target.launcher.args, '--grant', target.grant, ...target.homeArgs];
  if (server) args.push('--server', server);
  return [target.launcher.command, ...args].join(' ');
}

export function planLines(prepared: PreparedConnect, serversFile: string): string[] {
  const { plan, kind, config } = prepared;
  const lines = [
    `${kind.label}: ${config.file}${config.real !== config.file ? ` (a symlink: ${config.real} is edited)` : ''}`,
  ];
  if (plan.present.length > 0) lines.push(`  already through Gatehouse: ${plan.present.join(', ')}`);
  if (plan.imports.length > 0) lines.push(`  into ${serversFile}:`);
  for (const s of plan.imports) {
    const name = s.name === s.clientName ? s.name : `"${s.clientName}" → ${s.name} (${s.renamed})`;
    lines.push(`    ${name}: ${s.reused ? 'already there, the same server' : describe(s.config)}`);
  }
  const url = prepared.target.kind === 'url' ? prepared.target.url : '';
  for (const name of plan.moved) lines.push(`  "${name}": the gateway's URL is now ${url}`);
  for (const s of plan.kept)
    lines.push(`  stays in the client's config, NOT protected: "${s.clientName}" — ${s.why}`);
  for (const entry of plan.added)
    lines.push(
      `  ${entry.server ? 'in its place' : 'added'}: "${entry.name}" → ${entryText(prepared, entry.server)}`,
    );
  if (!prepared.grant.exists)
    lines.push(`  a new grant "${prepared.grant.name}" (its token goes only into this config)`);
  if (plan.changed) lines.push(`  the original is kept as ${config.file}.gatehouse-backup-<UTC time>`);
  return lines;
}

export function policyLines(prepared: PreparedConnect): string[] {
  if (!prepared.policy) return [];
  return [
    `Starting policy for ${prepared.policy.file} (now: every call asks): allow tools whose names say they read —`,
    `  ${Object.keys(READ_RULES).join(' ')}`,
    '  — and ask for everything else. Change it later in the dashboard (Tools view) or by editing the file, then check',
    `  it with: gatehouse policy check "${prepared.policy.file}"`,
  ];
}
