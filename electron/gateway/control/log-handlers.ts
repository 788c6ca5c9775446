// The control operations of the call log besides listing calls: the chain's head (log/verify.ts).
import type { HomePaths } from '../home/paths.js';
import { newestDayVerdict } from '../log/verify.js';
import type { ControlHandlers } from './http-adapter.js';

export function logHandlers(ctx: { paths: HomePaths }): Pick<ControlHandlers, 'getLogHead'> {
  return {
    getLogHead: () => {
      const verdict = newestDayVerdict(ctx.paths.logs);
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
