// The `history` section of the bench (issue 20): a month of generated calls (kept between runs, home.mjs), the gateway
// measured on it over its API and CLI (api.mjs), then the dashboard on it in Chromium (dashboard.mjs). Bounded in time:
// a slow engine is measured once per figure and the paging stops at its budget, saying how far it got.
import { benchHistoryApi } from './api.mjs';
import { benchHistoryDashboard } from './dashboard.mjs';
import { keptHistory, lendHome } from './home.mjs';

/**
 * The section's plan. Quick mode (CI) keeps the size of the goals — 100,000 calls a day for 30 days, about a minute to
 * generate — with fewer repeats and shorter budgets.
 */
export function historyPlan(quick, overrides = {}) {
  return {
    callsPerDay: 100_000,
    days: 30,
    starts: quick ? 3 : 5,
    repeats: quick ? 3 : 5,
    repeatBudgetMs: quick ? 5_000 : 20_000,
    pagingBudgetMs: quick ? 60_000 : 300_000,
    requestTimeoutMs: quick ? 120_000 : 300_000,
    indexWaitMs: quick ? 120_000 : 300_000,
    browser: true,
    dashboard: {
      scrollBudgetMs: quick ? 60_000 : 300_000,
      pageTimeoutMs: 60_000,
    },
    ...overrides,
  };
}

/** `{ api, dashboard, plan }`: the figures, or `{ measured: false, why }` for a part that could not be measured. */
export async function runHistory(plan, log = console.log) {
  const kept = await keptHistory(plan, log);
  const lent = lendHome(kept.dir, kept.manifest);
  const history = { home: lent.home, manifest: kept.manifest };
  const failed = (err) => ({ measured: false, why: err.message.split('\n')[0] });
  try {
    const api = await benchHistoryApi(plan, history, log).catch(failed);
    const dashboard = plan.browser
      ? await benchHistoryDashboard({ ...plan.dashboard, cliPath: plan.cliPath }, history, log)
      : { measured: false, why: 'not asked (--no-browser)' };
    return {
      plan,
      history: {
        calls: kept.manifest.calls,
        callsPerDay: plan.callsPerDay,
        days: kept.manifest.days.length,
        lines: kept.manifest.lines,
        bytes: kept.manifest.bytes,
        firstDay: kept.manifest.days[0].day,
        lastDay: kept.manifest.days.at(-1).day,
        reused: kept.reused,
        generateWallMs: kept.generateWallMs,
        generatorMs: kept.manifest.generateMs,
        cache: kept.dir,
        retentionDays: lent.retention,
      },
      api,
      dashboard,
    };
  } finally {
    lent.remove();
  }
}
