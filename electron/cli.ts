// The `gatehouse` command (DESIGN.md §3): serve, grant, policy check.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { Gateway } from './gateway/app/gateway.js';
import { GATEHOUSE_VERSION } from './gateway/rpc/server-info.js';
import { defaultHomeDir, homePaths } from './gateway/home/paths.js';
import { addGrant, readGrants, revokeGrant } from './gateway/grants/store.js';
import { checkPolicyText, formatCheckResult } from './gateway/policy/check.js';
import { serveUntilSignalled } from './gateway/app/serve.js';
import { writePause } from './gateway/state/pause.js';
import { findGateway, gatewayClient, NoGatewayError } from './gateway/control/client.js';
import { explainUsageErrors, failureMessage } from './cli/errors.js';
import { parsePolicyFile, parsePort } from './cli/options.js';
import { addServerCommands } from './cli/servers.js';
import { addApprovalsCommand } from './cli/approvals.js';
import { addToolsCommand } from './cli/tools.js';
import { addPolicyCommands } from './cli/policy-commands.js';
import { addConnectCommand } from './cli/connect.js';
import { addLogCommands } from './cli/log-commands.js';

function homeOf(command: Command): string {
  const opts = command.optsWithGlobals<{ home?: string }>();
  return opts.home ?? defaultHomeDir();
}

/** How to create a grant token with this install: its own launcher by absolute path (never a bare `npx gatehouse`). */
function grantCommand(): string {
  const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
  return `node ${/[^\w/.:\\-]/.test(bin) ? JSON.stringify(bin) : bin} grant add NAME`;
}

/**
 * The home of a command that serves or waits for a gateway, created if new: its problems (a file in its place, no
 * permission) named at once, not found later by a gateway that cannot start or a bridge that waits in silence.
 */
function usableHome(command: Command): string {
  const home = homeOf(command);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.accessSync(home, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  return home;
}

function fail(message: string): never {
  process.stderr.write(`gatehouse: ${message}\n`);
  process.exit(1);
}

export function buildProgram(): Command {
  const program = new Command('gatehouse')
    .description('A policy gate between AI agents and the MCP tools they call.')
    .version(GATEHOUSE_VERSION)
    .option(
      '--home <dir>',
      'Gatehouse home directory (default: $GATEHOUSE_HOME or the OS app-data folder "Gatehouse")',
    );

  program
    .command('serve')
    .description('run the gateway headless on 127.0.0.1: /mcp, /api and the dashboard at /')
    .option(
      '--port <n>',
      'port on 127.0.0.1 (0 picks a free one; default: settings.json "port", 7451)',
      parsePort,
    )
    .option('--policy <file>', 'policy file to use instead of <home>/policy.json', parsePolicyFile)
    .action(async (opts: { port?: number; policy?: string }, command: Command) => {
      const home = usableHome(command);
      const gateway = new Gateway({
        home,
        dashboardDir: fileURLToPath(new URL('../renderer', import.meta.url)),
        grantCommand: grantCommand(),
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(opts.policy !== undefined ? { policyFile: opts.policy } : {}),
      });
      await serveUntilSignalled(gateway);
    });

  program
    .command('dashboard')
    .description('print a fresh one-time login URL for the running gateway’s dashboard')
    .action(async (_opts: unknown, command: Command) => {
      const paths = homePaths(homeOf(command));
      const runtime = await findGateway(paths);
      if (!runtime) fail(new NoGatewayError(paths.home).message);
      const { url } = await gatewayClient(runtime).createLoginUrl({});
      process.stdout.write(`${url}\n`);
    });

  for (const [name, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    program
      .command(name)
      .description(
        paused
          ? 'pause: every call the policy does not deny goes to approval (or is denied: settings.json "pauseMode")'
          : 'resume: calls are decided by the policy again',
      )
      .action(async (_opts: unknown, command: Command) => {
        const paths = homePaths(homeOf(command));
        const runtime = await findGateway(paths);
        if (runtime) {
          const state = await gatewayClient(runtime).setPause({ paused });
          process.stdout.write(state.paused ? `paused: calls go to ${state.mode}\n` : 'resumed\n');
        } else {
          fs.mkdirSync(paths.state, { recursive: true, mode: 0o700 });
          writePause(paths.pause, { paused, since: new Date().toISOString() });
          process.stdout.write(
            `${paused ? 'paused' : 'resumed'} (no gateway running: it applies when one starts)\n`,
          );
        }
      });
  }

  program
    .command('bridge')
    .description('stdio MCP server for Claude Desktop: forwards to the running gateway as a grant')
    .requiredOption('--grant <name>', 'the grant the calls are made as (gatehouse grant add NAME)')
    .option('--server <name>', "expose only this server's tools, under their original names")
    .action(async (opts: { grant: string; server?: string }, command: Command) => {
      // Loaded only here: the bridge's client transport and stdio server are not needed by `serve` (README "Performance").
      const { runBridge } = await import('./gateway/bridge/index.js');
      await runBridge({
        home: usableHome(command),
        grant: opts.grant,
        ...(opts.server ? { server: opts.server } : {}),
      });
      process.exit(0);
    });

  const grant = program
    .command('grant')
    .description('manage the MCP clients allowed in (each gets a bearer token)');
  grant
    .command('add <name>')
    .description('create a grant; its token is printed once, on the last line')
    .action((name: string, _opts: unknown, command: Command) => {
      const paths = homePaths(homeOf(command));
      fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
      const { token } = addGrant(paths.grants, name);
      process.stderr.write(`Created grant "${name}". Its token is shown only once — keep it secret:\n`);
      process.stdout.write(`${token}\n`);
    });
  grant
    .command('list')
    .description('list grants (names and creation dates; tokens are never shown again)')
    .action((_opts: unknown, command: Command) => {
      const grants = readGrants(homePaths(homeOf(command)).grants);
      if (grants.length === 0) process.stdout.write('no grants yet: gatehouse grant add NAME\n');
      for (const g of grants) process.stdout.write(`${g.name}\t${g.created}\n`);
    });
  grant
    .command('revoke <name>')
    .description('revoke a grant; a running gateway ends its live sessions')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const paths = homePaths(homeOf(command));
      // Through a running gateway, the revoke is in force before this command ends (its sessions ended too).
      const runtime = await findGateway(paths);
      const revoked = runtime
        ? await gatewayClient(runtime)
            .revokeGrant({ name })
            .then(
              () => true,
              (err: { status?: number }) => (err.status === 404 ? false : Promise.reject(err)),
            )
        : revokeGrant(paths.grants, name);
      if (!revoked) fail(`no grant named "${name}" (see: gatehouse grant list)`);
      process.stdout.write(`revoked grant "${name}"\n`);
    });

  addServerCommands(program, { homeOf, fail });
  addApprovalsCommand(program, { homeOf, fail });
  addToolsCommand(program, { homeOf, fail });
  addConnectCommand(program, { homeOf, fail });
  addLogCommands(program, { homeOf, fail });

  const policy = program.command('policy').description('work with policy files');
  policy
    .command('check')
    .argument('<file>', 'the policy file', parsePolicyFile)
    .description('validate a policy file: errors with their JSON path and line, shadowed-rule warnings')
    .action((file: string) => {
      const text = fs.readFileSync(file, 'utf8');
      const out = formatCheckResult(checkPolicyText(text, file), file);
      if (out.stdout) process.stdout.write(out.stdout.endsWith('\n') ? out.stdout : `${out.stdout}\n`);
      if (out.stderr) process.stderr.write(out.stderr.endsWith('\n') ? out.stderr : `${out.stderr}\n`);
      process.exitCode = out.exitCode;
    });
  addPolicyCommands(policy, { homeOf, fail });

  return program;
}

// No top-level await: the bundle may be loaded as a CommonJS script (bin/gatehouse.js, its compile cache).
const program = buildProgram();
explainUsageErrors(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  fail(failureMessage(err, program.opts<{ home?: string }>().home ?? defaultHomeDir()));
});
