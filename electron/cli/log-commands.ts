// `gatehouse log verify [--since 7d|DATE]` (DESIGN.md §3): the call log's hash chain walked day by day, from the
// home's files (no running gateway needed).
import type { Command } from 'commander';
import { homePaths } from '../gateway/home/paths.js';
import { verifyLog, type LogVerdict } from '../gateway/log/verify.js';
import { parseSince } from '../gateway/simulate/simulate.js';
import { plural } from '../gateway/text/plural.js';
import { errorMessage } from '../gateway/control/client.js';
import type { CliContext } from './servers.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `--since`: a date (UTC, YYYY-MM-DD) or a span back from now (7d, 24h), as the first instant it takes in. */
function sinceInstant(text: string, now: number): Date {
  if (DATE.test(text)) {
    const day = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(day.getTime())) return day;
  }
  try {
    return new Date(now - parseSince(text));
  } catch {
    throw new Error(`--since takes a date like 2026-11-24 or a span like 7d (s, m, h, d, w), not "${text}"`);
  }
}

function formatVerdict(v: LogVerdict): { stdout: string; stderr: string } {
  const walked = `${plural(v.days, 'day file')}, ${plural(v.records, 'chained line')}`;
  const warnings = v.warnings.map((w) => `warning: ${w}\n`).join('');
  if (v.problem)
    return {
      stdout: '',
      stderr: `${warnings}log verify: the chain breaks at the first ${v.problem.what} record — ${v.problem.message} (${walked} read)\n`,
    };
  const head = v.head !== undefined ? `; head ${v.headDay} ${v.head}` : '; no chained line yet';
  return { stdout: `log verified: ${walked}${head}\n`, stderr: warnings };
}

export function addLogCommands(program: Command, ctx: CliContext): void {
  const log = program.command('log').description('the call log: verify its hash chain');
  log
    .command('verify')
    .description(
      'walk the day files through the hash chain; exit 1 naming the first changed, removed or inserted record',
    )
    .option('--since <when>', 'from this day (2026-11-24) or span (7d) on; all day files by default')
    .action((opts: { since?: string }, command: Command) => {
      let verdict: LogVerdict;
      try {
        const since = opts.since === undefined ? undefined : sinceInstant(opts.since, Date.now());
        verdict = verifyLog(homePaths(ctx.homeOf(command)).logs, since?.toISOString().slice(0, 10));
      } catch (err) {
        ctx.fail(errorMessage(err));
      }
      const out = formatVerdict(verdict);
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
      if (verdict.problem) process.exitCode = 1;
    });
}
