// The control operations of the call log besides listing calls: the chain's head (log/verify.ts) and an export
// (log/export.ts). The generic adapters answer with one body, not a stream, so an export answer is bounded.
import type { CallExport } from '../../../shared/call-query.js';
import type { HomePaths } from '../home/paths.js';
import type { DayIndexes } from '../log/day-index.js';
import { exportHeader, exportLine, exportedCalls } from '../log/export.js';
import { turnsEvery } from '../log/turns.js';
import type { ChainHead } from '../log/chain-head.js';
import type { ControlHandlers } from './http-adapter.js';

/** The most one export answer holds: calls, and characters of text (`gatehouse log export` has no bound). */
const MAX_EXPORT_CALLS = 10_000;
// 4 MiB: the answer is held several times over while it is made (the lines, the text, its JSON, the body), and a
// gateway grows by what it held at its largest.
const MAX_EXPORT_CHARS = 4 * 1024 * 1024;

export function logHandlers(ctx: {
  paths: HomePaths;
  logIndexes: DayIndexes;
  chainHead: ChainHead;
}): Pick<ControlHandlers, 'getLogHead' | 'exportCalls'> {
  return {
    exportCalls: async ({ format, ...query }): Promise<CallExport> => {
      const header = exportHeader(format);
      const parts = [header];
      let chars = header.length;
      let calls = 0;
      let truncated = false;
      const turn = turnsEvery();
      for (const record of exportedCalls(ctx.paths.logs, query, ctx.logIndexes)) {
        await turn();
        if (record === undefined) continue;
        const line = exportLine(record, format);
        truncated = calls === MAX_EXPORT_CALLS || chars + line.length > MAX_EXPORT_CHARS;
        if (truncated) break;
        parts.push(line);
        chars += line.length;
        calls++;
      }
      return { format, text: parts.join(''), calls, truncated };
    },
    getLogHead: async () => {
      const verdict = await ctx.chainHead.verdict();
      return {
        ...(verdict.headDay !== undefined ? { day: verdict.headDay } : {}),
        records: verdict.records,
        ...(verdict.head !== undefined ? { head: verdict.head } : {}),
        ok: verdict.problem === undefined,
        ...(verdict.problem ? { problem: verdict.problem.message } : {}),
        warnings: verdict.warnings,
      };
    },
  };
}
