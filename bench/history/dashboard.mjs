// The dashboard on a month of history, in Debian's Chromium: the time until Live calls shows its first rows, scrolling
// back through the newest day (the view asks for 1,000 older calls with nextBefore as its end comes into sight: each
// page timed, until the calls of the day before appear), and a search typed into the view's search box (the time from
// the last key until the matching calls show). Screenshots of each go to bench/results/history-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { GRID, PAGE_PROBES, ROWS, browserMissing, launchChromium, shownCount } from '../dashboard.mjs';
import { percentile } from '../measure.mjs';
import { root } from '../targets.mjs';
import { serveHistory } from './serve.mjs';

const RESULTS = path.join(root, 'bench/results');
const SEARCH_BOX = 'input[type=search]';
/** The view's first page and each older one (renderer/src/hooks/useCallFeed.ts). */
const FIRST_PAGE = 200;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (v) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : null);

/** Resolves once `shownCount` satisfies `test`, polling every 20 ms: the count, or throws after `timeoutMs`. */
async function shownWhen(page, test, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const shown = await shownCount(page);
    if (test(shown)) return shown;
    if (Date.now() > until)
      throw new Error(`${what}: not after ${timeoutMs / 1000} s (${shown} calls shown)`);
    await sleep(20);
  }
}

const scrollToEnd = (page) =>
  page.evaluate(
    `(() => { const s = document.querySelector('.calls-scroll'); s.scrollTop = s.scrollHeight; })()`,
  );

/**
 * `plan`: scrollBudgetMs, pageTimeoutMs, cliPath. `history`: the lent home and the manifest. The figures, or
 * `{ measured: false, why }`; screenshots in bench/results.
 */
export async function benchHistoryDashboard(plan, { home, manifest }, log = console.log) {
  const missing = await browserMissing(log);
  if (missing) return { measured: false, why: missing };
  const lastDay = manifest.days.at(-1);
  const marker = manifest.markers.rare;
  const markerCalls = manifest.days.reduce((sum, d) => sum + d.rare, 0);
  let gateway;
  let chromium;
  const shots = [];
  try {
    gateway = await serveHistory(home, plan.cliPath);
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(plan.pageTimeoutMs);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(PAGE_PROBES);
    const shot = async (name) => {
      fs.mkdirSync(RESULTS, { recursive: true });
      const file = path.join(RESULTS, `history-${name}.png`);
      await page.screenshot({ path: file });
      shots.push(path.relative(root, file));
    };

    // 1. The login URL, then the first rows of Live calls (times from navigation start, as the page saw them).
    const opened = performance.now();
    await page.goto(gateway.dashboardUrl);
    await page.locator(ROWS).first().waitFor();
    const openedMs = performance.now() - opened;
    const load = await page.evaluate(
      `({ grid: window.__bench.gridMs, firstRow: window.__bench.firstRowMs,
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime })`,
    );
    await page.locator(GRID).waitFor();
    await shot('first-rows');

    // 2. Back through the newest day: each older page asked for as the grid's end comes into sight.
    log(
      `history dashboard: first rows after ${Math.round(load.firstRow)} ms; scrolling back through ${lastDay.day}…`,
    );
    const pageMs = [];
    let shown = await shownWhen(page, (n) => n >= 0, plan.pageTimeoutMs, 'the first page');
    const scrollStarted = performance.now();
    while (shown <= lastDay.calls && performance.now() - scrollStarted < plan.scrollBudgetMs) {
      const started = performance.now();
      const before = shown;
      await scrollToEnd(page);
      shown = await shownWhen(page, (n) => n > before, plan.pageTimeoutMs, `older calls after ${before}`);
      pageMs.push(performance.now() - started);
    }
    const scrolledMs = performance.now() - scrollStarted;
    // The day's first calls and the day before's last, in the middle of the view.
    await page.evaluate(`(() => { const s = document.querySelector('.calls-scroll');
      s.scrollTop = (s.scrollHeight / ${shown}) * ${lastDay.calls} - s.clientHeight / 2; })()`);
    await sleep(300);
    await shot('day-back');
    const sorted = [...pageMs].sort((a, b) => a - b);

    // 3. A search typed into the box: from the last key until the matching calls show (the box waits 250 ms after
    // typing before it asks, as a person types).
    await page.evaluate(`document.querySelector('.calls-scroll').scrollTop = 0`);
    const box = page.locator(SEARCH_BOX);
    await box.click();
    await box.pressSequentially(marker, { delay: 30 });
    const typed = performance.now();
    const expected = Math.min(FIRST_PAGE, markerCalls);
    const found = await shownWhen(
      page,
      (n) => n === expected,
      plan.pageTimeoutMs,
      `the search for "${marker}"`,
    );
    const searchMs = performance.now() - typed;
    await page.locator(ROWS).first().waitFor();
    await shot('search');

    return {
      measured: true,
      load: {
        firstRowsMs: round1(load.firstRow),
        gridVisibleMs: round1(load.grid),
        firstContentfulPaintMs: round1(load.fcp),
        openedMs: round1(openedMs),
      },
      dayBack: {
        day: lastDay.day,
        dayCalls: lastDay.calls,
        pages: pageMs.length,
        shown,
        reachedDayBefore: shown > lastDay.calls,
        totalMs: Math.round(scrolledMs),
        pageMedianMs: round1(percentile(sorted, 50)),
        pageP95Ms: round1(percentile(sorted, 95)),
        pageMaxMs: round1(sorted.at(-1)),
      },
      search: { text: marker, shown: found, searchMs: round1(searchMs), debounceMs: 250 },
      screenshots: shots,
      pageErrors: errors.slice(0, 5),
    };
  } catch (err) {
    return { measured: false, why: err.message.split('\n')[0], screenshots: shots };
  } finally {
    await chromium?.close();
    await gateway?.stop();
  }
}
