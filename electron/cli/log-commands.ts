// `gatehouse log verify [--since 7d|DATE]` and `gatehouse log export [--since] [--format jsonl|csv] [filters]
// [--out FILE]` (DESIGN.md §3): the call log's hash chain walked day by day, and the calls matching a filter — both
// from the home's files (no running gateway needed).
import { once } from 'node:events';
import fs from 'node:fs';
import type { Command } from 'commander';
import { CallExportQuery } from '../../shared/call-query.js';
import { exportHeader, exportLine, exportedCalls } from '../gateway/log/export.js';
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

interface ExportOptions {
  since?: string;
  format: string;
  tool?: string;
  server?: string;
  status?: string;
  grant?: string;
  q?: string;
  out?: string;
}

/** Text written in pieces of about this many characters: one write() per piece, not per call. */
const PIECE_CHARS = 64 * 1024;

/** Streams the matching calls to stdout or --out, a piece at a time, waiting while the reader is behind. */
async function exportLog(logsDir: string, opts: ExportOptions): Promise<number> {
  const { out, since, ...filters } = opts;
  const query = CallExportQuery.safeParse({
    ...filters,
    ...(since !== undefined ? { since: sinceInstant(since, Date.now()).toISOString() } : {}),
  });
  if (!query.success)
    throw new Error(query.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const { format } = query.data;
  const sink = out === undefined ? process.stdout : fs.createWriteStream(out, { mode: 0o600 });
  let piece = exportHeader(format);
  let calls = 0;
  for (const record of exportedCalls(logsDir, query.data)) {
    if (record === undefined) continue;
    piece += exportLine(record, format);
    calls++;
    if (piece.length < PIECE_CHARS) continue;
    if (!sink.write(piece)) await once(sink, 'drain');
    piece = '';
  }
  if (sink === process.stdout) sink.write(piece);
  else await new Promise<void>((resolve, reject) => sink.once('error', reject).end(piece, resolve));
  return calls;
}

export function addLogCommands(program: Command, ctx: CliContext): void {
  const log = program.command('log').description('the call log: export calls, verify its hash chain');
  log
    .command('export')
    .description(
      'the calls matching the filters, oldest first, as JSONL (default) or CSV (with a header row)',
    )
    .option('--since <when>', 'from this day (2026-11-24) or span (7d) on; all calls by default')
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--tool <name>', "the upstream's tool name or the exposed name")
    .option('--server <name>', 'one server')
    .option('--status <list>', 'one status or a comma-separated list, e.g. denied,rate_limited')
    .option('--grant <name>', 'one client grant')
    .option('--q <text>', 'text searched in names, reason, rule, error and arguments')
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .action(async (opts: ExportOptions, command: Command) => {
      try {
        const calls = await exportLog(homePaths(ctx.homeOf(command)).logs, opts);
        if (opts.out !== undefined)
          process.stderr.write(`exported ${plural(calls, 'call')} to ${opts.out}\n`);
      } catch (err) {
        ctx.fail(errorMessage(err));
      }
    });
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
