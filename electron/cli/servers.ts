// `gatehouse server add|list|remove|restart` (DESIGN.md §3): through the running gateway's control API when there is
// one (it applies the change at once and knows each server's status), else by editing servers.json, which a gateway
// reads when it starts.
import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { ServerConfig } from '../../shared/servers.js';
import { isStdioServer } from '../../shared/servers.js';
import type { ServerView } from '../../shared/api/operations.js';
import { findGateway, gatewayClient } from '../gateway/control/client.js';
import { maskServerConfig } from '../gateway/control/mask.js';
import { loadServers } from '../gateway/home/index.js';
import { homePaths, type HomePaths } from '../gateway/home/paths.js';
import { removeServer, saveServer } from '../gateway/home/servers-file.js';
import { plural } from '../gateway/text/plural.js';

export interface CliContext {
  homeOf: (command: Command) => string;
  fail: (message: string) => never;
}

/** `K:V` of --header, as many as given. */
function collectHeader(value: string, headers: Record<string, string>): Record<string, string> {
  const at = value.indexOf(':');
  if (at <= 0) throw new InvalidArgumentError('Give NAME:VALUE, e.g. "Authorization: Bearer …"');
  return { ...headers, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
}

/** --url: an http(s) URL, checked before it is written into servers.json (where a bad one breaks every command). */
function parseUrl(value: string): string {
  const url = URL.parse(value);
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InvalidArgumentError('Give an http:// or https:// URL, e.g. http://127.0.0.1:3000/mcp');
  }
  return value;
}

/** The server an edit names is missing, or already there: which command shows the names, or frees this one. */
async function aboutServer(name: string, edit: () => unknown): Promise<void> {
  try {
    await edit();
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (status === 404) {
      throw new Error(`no server named "${name}" (see: gatehouse server list)`, { cause: err });
    }
    if (status === 409) {
      throw new Error(
        `a server named "${name}" already exists: choose another name, or remove it first (gatehouse server remove ${name})`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** What a server runs, in one line, with its secrets masked. */
function describe(config: Record<string, unknown>): string {
  if (typeof config.url === 'string') return `url ${config.url}`;
  const args = Array.isArray(config.args) ? (config.args as string[]).join(' ') : '';
  return `stdio ${String(config.command)}${args ? ` ${args}` : ''}`;
}

function line(view: ServerView): string {
  const status = view.status;
  const state = status
    ? `${status.state}${status.error ? ` (${status.error})` : ''}, ${plural(status.toolCount, 'tool')}`
    : 'not started (no gateway is running)';
  return `${view.name}\t${state}\t${describe(view.config)}`;
}

function configOf(command: string[], opts: { url?: string; header: Record<string, string> }): ServerConfig {
  if (opts.url !== undefined) {
    if (command.length > 0) throw new Error('give either --url URL or -- COMMAND [ARGS…], not both');
    return {
      url: opts.url,
      ...(Object.keys(opts.header).length > 0 ? { headers: opts.header } : {}),
    };
  }
  const [program, ...args] = command;
  if (program === undefined) throw new Error('give the server to run: -- COMMAND [ARGS…], or --url URL');
  if (Object.keys(opts.header).length > 0) throw new Error('--header goes with --url');
  return { command: program, ...(args.length > 0 ? { args } : {}) };
}

async function runningClient(paths: HomePaths) {
  const runtime = await findGateway(paths);
  return runtime ? gatewayClient(runtime) : undefined;
}

export function addServerCommands(program: Command, cli: CliContext): void {
  const server = program.command('server').description('manage the upstream MCP servers (servers.json)');
  server
    .command('add <name> [command...]')
    .description('add a server: gatehouse server add NAME -- COMMAND [ARGS…], or --url URL [--header K:V]')
    .option('--url <url>', 'a Streamable HTTP (or SSE) server', parseUrl)
    .option('--header <name:value>', 'an HTTP header to send (repeatable)', collectHeader, {})
    .action(
      async (
        name: string,
        command: string[],
        opts: { url?: string; header: Record<string, string> },
        cmd: Command,
      ) => {
        const paths = homePaths(cli.homeOf(cmd));
        const config = configOf(command, opts);
        const client = await runningClient(paths);
        await aboutServer(name, () => {
          if (client) return client.addServer({ name, config });
          fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
          saveServer(paths, name, config, false);
        });
        const what = describe(maskServerConfig(config) as Record<string, unknown>);
        const kind = isStdioServer(config) ? 'starts' : 'connects to';
        process.stdout.write(
          `added server "${name}" (${what})${client ? `; the running gateway ${kind} it now` : ''}\n`,
        );
      },
    );
  server
    .command('list')
    .description("list the servers: each one's state and tool count when a gateway runs")
    .action(async (_opts: unknown, cmd: Command) => {
      const paths = homePaths(cli.homeOf(cmd));
      const client = await runningClient(paths);
      const views: ServerView[] = client
        ? (await client.listServers({})).servers
        : Object.entries(loadServers(paths).mcpServers).map(([name, config]) => ({
            name,
            config: maskServerConfig(config),
          }));
      if (views.length === 0)
        process.stdout.write('no servers yet: gatehouse server add NAME -- COMMAND [ARGS…]\n');
      for (const view of views) process.stdout.write(`${line(view)}\n`);
    });
  server
    .command('remove <name>')
    .description('remove a server; a running gateway stops it')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const paths = homePaths(cli.homeOf(cmd));
      const client = await runningClient(paths);
      await aboutServer(name, () => (client ? client.deleteServer({ name }) : removeServer(paths, name)));
      process.stdout.write(`removed server "${name}"\n`);
    });
  server
    .command('restart <name>')
    .description('restart a server of the running gateway')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const paths = homePaths(cli.homeOf(cmd));
      const client = await runningClient(paths);
      if (!client) cli.fail(`no gateway is running on ${paths.home}: start one with "gatehouse serve"`);
      await aboutServer(name, () => client.restartServer({ name }));
      process.stdout.write(`restarted server "${name}"\n`);
    });
}
