// `gatehouse connect CLIENT` (DESIGN.md §3): shows what changes, asks, then puts Gatehouse into the client's config;
// `--undo` puts the original back, `--check` lists what bypasses Gatehouse. The work is in gateway/clients/.
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { claudeExtensions, configBypasses, projectBypasses } from '../gateway/clients/check.js';
import { applyConnect, prepareConnect, undoConnect } from '../gateway/clients/connect.js';
import { bridgeHomeArgs, bridgeLauncher } from '../gateway/clients/launcher.js';
import { CLIENT_NAMES, CLIENTS, defaultConfigPath, isClientName } from '../gateway/clients/locations.js';
import { readTextIfExists } from '../gateway/home/files.js';
import { homePaths } from '../gateway/home/paths.js';
import type { CliContext } from './servers.js';
import { planLines, policyLines } from './connect-text.js';

interface ConnectOptions {
  configPath?: string;
  yes?: boolean;
  undo?: boolean;
  import: boolean;
  perServer?: boolean;
  bridge?: boolean;
  check?: boolean;
  projects?: string[];
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** y/N questions in the terminal: one reader of lines for all of them (typed-ahead answers wait their turn); end of input is no. */
function terminalQuestions() {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question: string): Promise<boolean> {
      process.stdout.write(`${question} [y/N] `);
      const line = await lines.next();
      return !line.done && /^y(es)?$/i.test(String(line.value).trim());
    },
    close: () => rl.close(),
  };
}

function check(client: keyof typeof CLIENTS, file: string, projects: string[]): number {
  const kind = CLIENTS[client];
  const text = readTextIfExists(file);
  const looked = [text === undefined ? `${file} (not found)` : file];
  const bypasses = text === undefined ? [] : configBypasses(kind, file, text);
  if (client === 'claude') {
    const dir = path.dirname(file);
    looked.push(path.join(dir, 'Claude Extensions'), path.join(dir, 'extensions-installations.json'));
    bypasses.push(...claudeExtensions(dir));
  }
  for (const dir of projects)
    looked.push(`${dir} and its folders (.cursor/mcp.json, .vscode/mcp.json, .mcp.json)`);
  bypasses.push(...projectBypasses(projects));
  out(`Looked at: ${looked.join('; ')}`);
  for (const b of bypasses) out(`  ${b.where}: ${b.what}`);
  if (bypasses.length === 0) {
    out('Nothing bypasses Gatehouse there.');
    return 0;
  }
  const n = bypasses.length;
  out(`${n} ${n === 1 ? 'thing bypasses' : 'things bypass'} Gatehouse. To bring a config's servers in:`);
  out(`  gatehouse connect ${client} [--config-path FILE] (a project's config too);`);
  if (client === 'claude')
    out('  an extension: turn it off in Claude Desktop, and add its server with gatehouse server add.');
  return 1;
}

export function addConnectCommand(program: Command, cli: CliContext): void {
  program
    .command('connect <client>')
    .description(`put Gatehouse into a client's MCP config: ${CLIENT_NAMES.join(', ')}`)
    .option('--config-path <file>', "the client's config file (default: where the client keeps it)")
    .option('--yes', 'change without asking (and write the starting policy, if one is proposed)')
    .option('--undo', 'put back the config as it was before connect (from its newest backup)')
    .option('--no-import', "leave the client's servers where they are (they stay unprotected)")
    .option('--per-server', "one entry per server, under the server's own name, instead of one for all")
    .option(
      '--bridge',
      'write the bridge command even for a client that takes a URL (no token in its config)',
    )
    .option('--check', 'list what bypasses Gatehouse; exit 1 when something does')
    .option('--projects <dir...>', 'with --check: folders of projects to look in for per-project configs')
    .action(async (client: string, opts: ConnectOptions, command: Command) => {
      if (!isClientName(client))
        cli.fail(`unknown client "${client}": use one of ${CLIENT_NAMES.join(', ')}`);
      const home = cli.homeOf(command);
      const paths = homePaths(home);
      const file = path.resolve(opts.configPath ?? defaultConfigPath(client));
      const claude = client === 'claude';
      if (opts.check) {
        process.exitCode = check(
          client,
          file,
          (opts.projects ?? []).map((d) => path.resolve(d)),
        );
        return;
      }
      if (opts.undo) {
        if (claude) out('Claude Desktop rewrites its config while it runs: quit it first.');
        const undone = undoConnect(client, file, paths);
        out(
          `${undone.removed ? `removed ${file} (connect had created it)` : `restored ${file}`} from ${undone.backup}`,
        );
        if (undone.keptChanges)
          out(
            `only its servers were put back: other settings changed since connect and are kept as they are now (${undone.keptChanges.join('; ')})`,
          );
        if (undone.revokedGrant)
          out(`revoked the grant "${undone.revokedGrant}": its token was only in that config`);
        out(`The servers connect imported stay in ${paths.servers} (gatehouse server remove NAME).`);
        if (claude) out('Restart Claude Desktop to use it.');
        return;
      }
      if (claude)
        out('Claude Desktop rewrites its config while it runs: quit it first, and start it again after.');
      const prepared = prepareConnect({
        client,
        configPath: file,
        paths,
        launcher: bridgeLauncher(),
        homeArgs: bridgeHomeArgs(paths.home),
        perServer: opts.perServer === true,
        noImport: !opts.import,
        bridge: opts.bridge === true,
      });
      for (const line of planLines(prepared, paths.servers)) out(line);
      if (!prepared.plan.changed) {
        out('Already connected: nothing to change.');
        return;
      }
      const policy = policyLines(prepared);
      for (const line of policy) out(line);
      if (!opts.yes && !process.stdin.isTTY)
        cli.fail(
          'not changing anything without a yes, and there is no terminal to ask in: run again with --yes',
        );
      const terminal = opts.yes ? undefined : terminalQuestions();
      const ask = (question: string) => terminal?.ask(question) ?? Promise.resolve(true);
      const yes = await ask('Connect?');
      const writePolicy = yes && policy.length > 0 && (await ask('Write this starting policy?'));
      terminal?.close();
      if (!yes) {
        out('Nothing changed.');
        return;
      }
      const done = applyConnect(prepared, writePolicy);
      out(`Connected. The original is kept in ${done.backup} (undo: gatehouse connect ${client} --undo).`);
      if (done.policyWritten) out(`Wrote the starting policy to ${paths.policy}.`);
      const kept = prepared.plan.kept.length;
      if (kept > 0)
        out(
          `Warning: ${kept} server${kept === 1 ? '' : 's'} still bypass${kept === 1 ? 'es' : ''} Gatehouse (listed above).`,
        );
      out(
        `Start the gateway if it is not running: gatehouse serve${prepared.request.homeArgs.length ? ` --home "${paths.home}"` : ''}`,
      );
      if (claude) out('Now start Claude Desktop again.');
    });
}
