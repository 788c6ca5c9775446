// `gatehouse policy recommend [--apply] [--destructive deny|approve]` and `gatehouse policy simulate FILE [--since 7d]`
// (DESIGN.md §3, issue 19). recommend asks the running gateway (its live catalog) and applies with PATCH and If-Match;
// with no gateway it reads the tools Gatehouse last saw (state/pins.json) and writes policy.json itself, validated
// and atomically. simulate reads the home's logs directly: it needs no gateway.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { escapeToString } from '../../shared/escape-text.js';
import type { OperationOutput } from '../../shared/api/operations.js';
import { errorMessage, findGateway, gatewayClient } from '../gateway/control/client.js';
import { parseJsonFile, readTextIfExists, writeFileAtomic } from '../gateway/home/files.js';
import { loadServers, loadSettings } from '../gateway/home/index.js';
import { homePaths, type HomePaths } from '../gateway/home/paths.js';
import { formatPolicyError, parsePolicyText } from '../gateway/policy/load.js';
import { lineDiff, recommendPolicy, type ClassifiedTool } from '../gateway/policy/recommend.js';
import { classifyTool } from '../gateway/risk/classify.js';
import { parseSince, type Simulation } from '../gateway/simulate/simulate.js';
import { simulateLog } from '../gateway/simulate/simulate-log.js';
import { plural } from '../gateway/text/plural.js';
import type { CliContext } from './servers.js';

type Recommendation = Omit<OperationOutput<'recommendPolicy'>, 'etag'>;

/** The tools Gatehouse last saw, from their pins (`server/tool` → description and canonical schema). */
const PinsFile = z.object({
  pins: z.record(z.string(), z.object({ description: z.string().optional(), schema: z.string() })),
});

function pinnedCatalog(paths: HomePaths): ClassifiedTool[] {
  const file = path.join(paths.state, 'pins.json');
  const text = readTextIfExists(file);
  if (!text) return [];
  const parsed = PinsFile.safeParse(parseJsonFile(file, text));
  if (!parsed.success) throw new Error(`${file} is not valid: start the gateway and run this again`);
  const trusted = new Set(loadSettings(paths).trustedServers);
  return Object.entries(parsed.data.pins).flatMap(([key, pin]) => {
    const at = key.indexOf('/');
    if (at <= 0) return [];
    const server = key.slice(0, at);
    const tool = key.slice(at + 1);
    let schema: { inputSchema?: unknown; annotations?: unknown } = {};
    try {
      schema = JSON.parse(pin.schema) as typeof schema;
    } catch {
      schema = {}; // a pin from another version: classified from its name and description alone
    }
    const definition = {
      name: tool,
      ...(pin.description !== undefined ? { description: pin.description } : {}),
      ...(schema.inputSchema ? { inputSchema: schema.inputSchema } : {}),
      ...(schema.annotations ? { annotations: schema.annotations } : {}),
    } as Parameters<typeof classifyTool>[0];
    return [{ server, tool, category: classifyTool(definition, { trusted: trusted.has(server) }).category }];
  });
}

function printRecommendation(rec: Recommendation): void {
  const out: string[] = [];
  if (rec.diff) out.push(...rec.diff.trimEnd().split('\n').map(escapeToString));
  else out.push('nothing to recommend: every tool is decided by a rule you wrote, or already as recommended');
  if (rec.skipped.length > 0) {
    out.push('', `kept as you wrote them (${plural(rec.skipped.length, 'tool')}):`);
    for (const s of rec.skipped)
      out.push(`  ${escapeToString(`${s.server}/${s.tool}`)}: ${escapeToString(s.why)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

async function recommend(paths: HomePaths, opts: { apply?: boolean; destructive?: 'approve' | 'deny' }) {
  const destructive = opts.destructive ? { destructive: opts.destructive } : {};
  const runtime = await findGateway(paths);
  if (runtime) {
    const api = gatewayClient(runtime);
    const rec = await api.recommendPolicy(destructive);
    printRecommendation(rec);
    if (opts.apply && rec.edits.length > 0) {
      await api.patchPolicy({ set: rec.edits, ifMatch: rec.etag });
      process.stdout.write(`applied: ${plural(rec.edits.length, 'rule')} written to policy.json\n`);
    }
    return;
  }
  const text = fs.readFileSync(paths.policy, 'utf8');
  const parsed = parsePolicyText(text, paths.policy);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => formatPolicyError(e, paths.policy)).join('\n'));
  const tools = pinnedCatalog(paths);
  if (tools.length === 0)
    throw new Error('no gateway is running and no tools were seen yet: start one with "gatehouse serve"');
  process.stderr.write(
    'no gateway is running: recommending for the tools Gatehouse last saw (state/pins.json)\n',
  );
  const rec = recommendPolicy(text, parsed.compiled, tools, destructive);
  const diff = lineDiff(text, rec.text);
  printRecommendation({ ...rec, ...(diff ? { diff } : {}) });
  if (opts.apply && rec.edits.length > 0) {
    const checked = parsePolicyText(rec.text, paths.policy);
    if (!checked.ok)
      throw new Error(`the recommended policy is not valid: ${formatPolicyError(checked.errors[0]!)}`);
    writeFileAtomic(fs.realpathSync(paths.policy), rec.text, 0o600);
    process.stdout.write(`applied: ${plural(rec.edits.length, 'rule')} written to ${paths.policy}\n`);
  }
}

const WOULD: Record<string, string> = {
  allow: 'allow',
  approve: 'ask',
  deny: 'deny',
  rate_limited: 'rate-limit',
  invalid_args: 'refuse (arguments)',
  unknown: 'unknown',
};

/** The summary a person reads first, then the calls whose outcome changes (the first `limit`), then the notes. */
function formatSimulation(sim: Simulation, limit: number, since: string | undefined): string {
  const c = sim.counts;
  const refused = c.deny + c.rate_limited + c.invalid_args;
  const out = [
    `${plural(sim.total, 'call')}${since ? ` in the last ${since}` : ' in the log'}: this policy would have ` +
      `allowed ${c.allow}, asked for ${c.approve} and denied ${refused}` +
      `${c.rate_limited + c.invalid_args > 0 ? ` (${c.rate_limited} by a limit, ${c.invalid_args} by an argument rule)` : ''}` +
      `${c.unknown > 0 ? `; ${c.unknown} unknown` : ''}.`,
  ];
  if (sim.changed.length === 0) out.push('No call would have met a different outcome.');
  else {
    out.push('', `${plural(sim.changed.length, 'call')} would meet a different outcome:`);
    for (const call of sim.changed.slice(0, limit)) {
      out.push(
        `  ${call.ts}  ${escapeToString(call.grant)}  ${escapeToString(`${call.server}/${call.tool}`)}  ` +
          `${WOULD[call.was] ?? call.was} → ${WOULD[call.would] ?? call.would}  ${escapeToString(call.rule)}: ${escapeToString(call.reason)}`,
      );
    }
    if (sim.changed.length > limit)
      out.push(`  … and ${sim.changed.length - limit} more (--limit N shows more)`);
  }
  out.push('', ...sim.notes.map((n) => `note: ${n}`));
  return `${out.join('\n')}\n`;
}

function simulate(paths: HomePaths, file: string, opts: { since?: string; limit: number; json?: boolean }) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = parsePolicyText(text, file);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => formatPolicyError(e, file)).join('\n'));
  const since = opts.since === undefined ? undefined : Date.now() - parseSince(opts.since);
  const sim = simulateLog({
    logsDir: paths.logs,
    servers: loadServers(paths),
    draft: parsed.compiled,
    ...(since !== undefined ? { since } : {}),
  });
  process.stdout.write(
    opts.json ? `${JSON.stringify(sim, null, 2)}\n` : formatSimulation(sim, opts.limit, opts.since),
  );
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--limit takes a whole number from 1, not "${value}"`);
  return n;
}

export function addPolicyCommands(policy: Command, ctx: CliContext): void {
  policy
    .command('recommend')
    .description('propose rules from the tools’ risk classes, as a diff of policy.json; --apply writes them')
    .option('--apply', 'write the recommended rules (through the running gateway when there is one)')
    .option('--destructive <action>', 'what Destructive tools get: approve (default) or deny')
    .action(async (opts: { apply?: boolean; destructive?: string }, command: Command) => {
      if (opts.destructive !== undefined && opts.destructive !== 'approve' && opts.destructive !== 'deny')
        ctx.fail(`--destructive takes approve or deny, not "${opts.destructive}"`);
      try {
        await recommend(homePaths(ctx.homeOf(command)), {
          ...(opts.apply ? { apply: true } : {}),
          ...(opts.destructive ? { destructive: opts.destructive as 'approve' | 'deny' } : {}),
        });
      } catch (err) {
        ctx.fail(errorMessage(err));
      }
    });
  policy
    .command('simulate <file>')
    .description('replay the call log under a draft policy: what it would have allowed, asked for and denied')
    .option('--since <span>', 'only calls this recent: 7d, 24h, 30m')
    .option('--limit <n>', 'list at most this many changed calls', '20')
    .option('--json', 'print the simulation as JSON')
    .action((file: string, opts: { since?: string; limit: string; json?: boolean }, command: Command) => {
      try {
        simulate(homePaths(ctx.homeOf(command)), file, { ...opts, limit: positive(opts.limit) });
      } catch (err) {
        ctx.fail(errorMessage(err));
      }
    });
}
