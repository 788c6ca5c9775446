// The `history` section of `npm run bench`: `gatehouse serve` on a month of generated history, measured as a user or a
// script meets it — time to ready, then over the control API (GET /api/calls, /api/calls/export) and the CLI
// (`gatehouse log export`, `gatehouse log verify`): a first page, a filtered page, a rare text, a text in ten calls of
// the month, a text in none, a whole day paged back with nextBefore, a day exported and verified, and the gateway's
// RSS after all of it. Each answer is checked against what the generator wrote (its manifest).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rssMb } from '../procs.mjs';
import { runCli, serveHistory } from './serve.mjs';

const round1 = (v) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : null);
/** The middle value; of an even count, the mean of the two in the middle. */
function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const DAY_MS = 86_400_000;

/**
 * `fn()` up to `times` times (at least once, no more once `budgetMs` is spent): `{ medianMs, runs, value }`, value of
 * the last run. A slow answer is measured once rather than holding the bench for minutes.
 */
async function repeated(fn, times, budgetMs) {
  const runs = [];
  let value;
  const until = performance.now() + budgetMs;
  do {
    const started = performance.now();
    value = await fn();
    runs.push(performance.now() - started);
  } while (runs.length < times && performance.now() < until);
  return { medianMs: round1(median(runs)), runs: runs.map(round1), value };
}

const query = (params) => `/calls?${new URLSearchParams(params)}`;

/**
 * A page query, timed, with a check of its answer: `{ medianMs, runs, calls, ok, why? }`. A query with no answer in
 * `plan.requestTimeoutMs` is a figure too: not ok, and no time.
 */
async function page(gateway, params, check, plan) {
  let measured;
  const started = performance.now();
  try {
    measured = await repeated(
      () => gateway.get(query(params), plan.requestTimeoutMs),
      plan.repeats,
      plan.repeatBudgetMs,
    );
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    return { medianMs: null, runs: [], ok: false, why: `no answer (${err.message}) after ${ms} ms` };
  }
  const { value, ...timing } = measured;
  const why = check(value);
  return {
    ...timing,
    calls: value.calls.length,
    more: value.nextBefore !== undefined,
    ok: !why,
    ...(why ? { why } : {}),
  };
}

const argsHold = (call, text) => JSON.stringify(call.arguments).toLowerCase().includes(text);

/** Every call of `day` paged back from its end with nextBefore, 1,000 at a time (what the dashboard asks). */
async function pageBackThroughDay(gateway, day, expected, budgetMs) {
  const start = `${day}T00:00:00.000Z`;
  const seen = new Set();
  const pageMs = [];
  let duplicates = 0;
  let before = new Date(Date.parse(start) + DAY_MS).toISOString();
  let reachedDayBefore = false;
  const until = performance.now() + budgetMs;
  while (!reachedDayBefore && before && performance.now() < until) {
    const started = performance.now();
    const answer = await gateway.get(query({ limit: '1000', before }));
    pageMs.push(performance.now() - started);
    for (const call of answer.calls) {
      if (call.ts < start) {
        reachedDayBefore = true;
        break;
      }
      if (seen.has(call.id)) duplicates++;
      seen.add(call.id);
    }
    before = answer.nextBefore;
  }
  return {
    day,
    pages: pageMs.length,
    totalMs: Math.round(pageMs.reduce((a, b) => a + b, 0)),
    pageMedianMs: round1(median(pageMs)),
    pageMaxMs: round1(Math.max(...pageMs)),
    seen: seen.size,
    expected,
    duplicates,
    complete: reachedDayBefore || !before,
    ok: seen.size === expected && duplicates === 0 && (reachedDayBefore || !before),
  };
}

const count = (n) => (a) => (a.calls.length !== n ? `${a.calls.length} calls, not ${n}` : undefined);

const none = (a) => count(0)(a) ?? (a.nextBefore ? 'a next page' : undefined);

/** The pages asked for (limit 50), each with the check of its answer against the manifest. */
function pageQueries(manifest) {
  const lastDay = manifest.days.at(-1).day;
  const { rare, veryRare, nothing, absentPhrase } = manifest.markers;
  return [
    [
      'firstPage',
      {},
      (a) =>
        count(50)(a) ??
        (a.calls[0].ts.slice(0, 10) !== lastDay
          ? `the first call is of ${a.calls[0].ts}, not of ${lastDay}`
          : undefined),
    ],
    [
      'filtered',
      { server: 'github', status: 'denied' },
      (a) =>
        count(50)(a) ??
        (a.calls.some((c) => c.server !== 'github' || c.status !== 'denied')
          ? 'a call that does not match'
          : undefined),
    ],
    [
      'rareSearch',
      { q: rare },
      (a) =>
        count(50)(a) ?? (a.calls.some((c) => !argsHold(c, rare)) ? `a call without "${rare}"` : undefined),
    ],
    ['noMatch', { q: nothing }, none],
    ['absentPhrase', { q: absentPhrase }, none],
    [
      'veryRareSearch',
      { q: veryRare },
      (a) =>
        count(10)(a) ??
        (a.calls.some((c) => !argsHold(c, veryRare)) ? `a call without "${veryRare}"` : undefined),
    ],
  ];
}

/**
 * Milliseconds until the gateway's search index (state/log-index/DAY.tri, one per day no longer written) covers every
 * day of the history, or null when it does not within `waitMs` (a build without one).
 */
async function indexBuilt(home, manifest, waitMs) {
  const dir = path.join(home, 'state', 'log-index');
  const started = performance.now();
  for (;;) {
    const built = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((n) => /^\d{4}-\d{2}-\d{2}\.tri$/.test(n))
      : [];
    if (built.length >= manifest.days.length) return Math.round(performance.now() - started);
    if (performance.now() - started > waitMs) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `plan`: starts, repeats, repeatBudgetMs, pagingBudgetMs, requestTimeoutMs, indexWaitMs, cliPath. `history`: the lent home and the kept history's
 * manifest.
 */
export async function benchHistoryApi(plan, { home, manifest }, log = console.log) {
  const cli = { cli: plan.cliPath };
  const lastDay = manifest.days.at(-1);
  const since = `${lastDay.day}T00:00:00Z`;
  let gateway;
  try {
    const readies = [];
    let cold;
    for (let i = 0; i < plan.starts; i++) {
      gateway = await serveHistory(home, plan.cliPath);
      readies.push(gateway.readyMs);
      // Right after the first start of a new home (nothing kept in state/ yet): a search for a text in no call.
      if (i === 0)
        cold = await page(gateway, { limit: '50', q: manifest.markers.nothing }, none, {
          ...plan,
          repeats: 1,
        });
      if (i === plan.starts - 1) break;
      await gateway.stop();
      gateway = undefined;
    }
    const rssAfterReadyMb = round1(rssMb(gateway.pid));
    log(
      `history: ready in ${readies.map(Math.round).join(', ')} ms (${plan.starts} starts); no match at first ${cold.medianMs} ms`,
    );
    const indexMs = await indexBuilt(home, manifest, plan.indexWaitMs);
    // The gateway's RSS after each step: where its memory goes.
    const rssAfter = { ready: rssAfterReadyMb, index: round1(rssMb(gateway.pid)) };
    log(
      `history: the days' search index ${indexMs === null ? 'not seen' : `complete ${indexMs} ms after the last start`}; measuring the API…`,
    );

    const pages = {};
    for (const [key, params, check] of pageQueries(manifest)) {
      pages[key] = await page(gateway, { limit: '50', ...params }, check, plan);
      rssAfter[key] = round1(rssMb(gateway.pid));
      const f = pages[key];
      log(`history: ${key} ${f.medianMs} ms (${f.runs.join(', ')})${f.ok ? '' : ` WRONG: ${f.why}`}`);
    }
    log(`history: paging back through ${lastDay.day}…`);
    const dayPaging = await pageBackThroughDay(gateway, lastDay.day, lastDay.calls, plan.pagingBudgetMs);
    rssAfter.dayPaging = round1(rssMb(gateway.pid));
    // The chain's state, which Live calls asks for beside its first page.
    const head = await repeated(() => gateway.get('/log/head'), plan.repeats, plan.repeatBudgetMs);
    rssAfter.logHead = round1(rssMb(gateway.pid));

    const exportApi = await repeated(
      () => gateway.get(`/calls/export?${new URLSearchParams({ since, format: 'jsonl' })}`),
      plan.repeats,
      plan.repeatBudgetMs,
    );
    rssAfter.exportApi = round1(rssMb(gateway.pid));
    const out = path.join(os.tmpdir(), `gatehouse-history-export-${process.pid}.jsonl`);
    const exportCli = await repeated(
      () => runCli(home, ['log', 'export', '--since', lastDay.day, '--out', out], cli),
      plan.repeats,
      plan.repeatBudgetMs,
    );
    const exportedLines = fs.existsSync(out) ? countLines(out) : 0;
    fs.rmSync(out, { force: true });
    const verify = await repeated(
      () => runCli(home, ['log', 'verify', '--since', lastDay.day], cli),
      plan.repeats,
      plan.repeatBudgetMs,
    );
    const verifiedLines = Number(
      /(\d[\d,]*) chained lines?/.exec(verify.value.stdout)?.[1].replace(/,/g, ''),
    );
    const rssAfterMb = round1(rssMb(gateway.pid));

    return {
      measured: true,
      ready: {
        firstMs: Math.round(readies[0]),
        restartMedianMs: readies.length > 1 ? Math.round(median(readies.slice(1))) : null,
        runs: readies.map(Math.round),
      },
      rssAfterReadyMb,
      noMatchAtFirstStart: cold,
      indexMs,
      ...pages,
      dayPaging,
      logHead: {
        medianMs: head.medianMs,
        runs: head.runs,
        day: head.value.day,
        records: head.value.records,
        ok: head.value.ok && head.value.day === lastDay.day && head.value.records === lastDay.lines,
      },
      exportApi: {
        medianMs: exportApi.medianMs,
        runs: exportApi.runs,
        calls: exportApi.value.calls,
        truncated: exportApi.value.truncated,
      },
      exportCli: {
        medianMs: exportCli.medianMs,
        runs: exportCli.runs,
        calls: exportedLines,
        expected: lastDay.calls,
        ok: exportCli.value.code === 0 && exportedLines === lastDay.calls,
      },
      verifyDay: {
        medianMs: verify.medianMs,
        runs: verify.runs,
        lines: verifiedLines,
        expected: lastDay.lines,
        ok: verify.value.code === 0 && verifiedLines === lastDay.lines,
        output: (verify.value.stdout || verify.value.stderr).trim().split('\n')[0],
      },
      rssMb: rssAfterMb,
      rssAfter,
    };
  } finally {
    await gateway?.stop();
  }
}

function countLines(file) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      for (let at = buffer.indexOf(10); at !== -1 && at < n; at = buffer.indexOf(10, at + 1)) lines++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return lines;
}
