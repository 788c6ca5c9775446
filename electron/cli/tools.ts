// `gatehouse tools [--server S] [--json]` (DESIGN.md §3): the running gateway's catalog — each tool's exposed name,
// the action and rule that decide it, its risk class and whether its definition is pinned — as a table or JSON.
import type { Command } from 'commander';
import { escapeToString } from '../../shared/escape-text.js';
import type { ToolInfo } from '../../shared/api/operations.js';
import { errorMessage, findGateway, gatewayClient, NoGatewayError } from '../gateway/control/client.js';
import { homePaths } from '../gateway/home/paths.js';
import { plural } from '../gateway/text/plural.js';
import type { CliContext } from './servers.js';

const HEADERS = ['TOOL', 'ACTION', 'RULE', 'RISK', 'PIN'] as const;
/** The description shown under each tool is cut here: the table stays readable, --json has all of it. */
const DESCRIPTION_CHARS = 100;

/** Upstream text as one safe line: hidden and control characters written out, whitespace runs as one space. */
function shown(text: string): string {
  return escapeToString(text.replace(/[\t\n\r]+/g, ' '));
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function riskWords(tool: ToolInfo): string {
  const category = tool.risk.category;
  return `${category.charAt(0).toUpperCase()}${category.slice(1)}/${tool.risk.level}`;
}

/** The catalog as a table: one row per tool, its description (the server's words, quoted) under it. */
export function formatToolsTable(tools: readonly ToolInfo[]): string {
  if (tools.length === 0) return 'no tools: is a server added and running? (gatehouse server list)\n';
  const rows = tools.map((t) => [
    shown(t.exposedName),
    t.action,
    shown(t.rule),
    riskWords(t),
    t.pin !== undefined ? 'pinned' : '-',
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)))
      .join('  ')
      .trimEnd();
  const out = [line(HEADERS)];
  rows.forEach((row, i) => {
    out.push(line(row));
    const tool = tools[i]!;
    const reasons = tool.risk.reasons.map(shown).join('; ');
    if (tool.description) out.push(`    "${cut(shown(tool.description), DESCRIPTION_CHARS)}"`);
    if (reasons) out.push(`    risk: ${reasons}`);
  });
  out.push('', `${plural(tools.length, 'tool')}`);
  return `${out.join('\n')}\n`;
}

export function addToolsCommand(program: Command, ctx: CliContext): void {
  program
    .command('tools')
    .description("the running gateway's tools: exposed name, action and deciding rule, risk, pin")
    .option('--server <name>', 'only the tools of this server')
    .option('--json', 'print the catalog as JSON')
    .action(async (opts: { server?: string; json?: boolean }, command: Command) => {
      const paths = homePaths(ctx.homeOf(command));
      const runtime = await findGateway(paths);
      if (!runtime) ctx.fail(new NoGatewayError(paths.home).message);
      let tools: ToolInfo[];
      try {
        ({ tools } = await gatewayClient(runtime).listTools({}));
      } catch (err) {
        ctx.fail(errorMessage(err));
      }
      if (opts.server !== undefined) {
        tools = tools.filter((t) => t.server === opts.server);
        if (tools.length === 0)
          ctx.fail(`no tools of a server named "${opts.server}" (see: gatehouse server list)`);
      }
      tools.sort((a, b) => a.exposedName.localeCompare(b.exposedName));
      process.stdout.write(opts.json ? `${JSON.stringify({ tools }, null, 2)}\n` : formatToolsTable(tools));
    });
}
