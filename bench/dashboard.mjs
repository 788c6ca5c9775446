// The dashboard's figures: first paint after the login URL, a long call log (first rows, then scrolling through the
// loaded calls with the frames timed in the page), and a live stream of calls at a fixed rate while keys are pressed
// (frames and input delay). Debian's Chromium through playwright-core, as the e2e tests do; never a browser download.
// Its own gateway on a seeded home; the browser and the gateway are stopped at the end, whatever happens.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { echo, percentile } from './measure.mjs';
import { descendants, stopTree, track } from './procs.mjs';
import { root, startGatehouse } from './targets.mjs';
import { CHROMIUM_ARGS, seedLongLog } from '../test/helpers/dashboard-fixtures.mjs';

// Debian's Chromium; BENCH_CHROMIUM names another binary (or a missing one, to try the bench without a browser).
export const CHROMIUM_PATH = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
export const GRID = 'role=grid[name="Calls, newest first"]';
export const ROWS = '.calls-body [role=row]';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (v) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : null);

/** Median, p95 and max of frame durations (ms). */
function frameStats(frames) {
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    frames: sorted.length,
    frameMedianMs: round1(percentile(sorted, 50)),
    frameP95Ms: round1(percentile(sorted, 95)),
    frameMaxMs: round1(sorted.at(-1)),
  };
}

// Runs in the page before the app: the moments the grid and its first row appear, and the frame/input recorders.
export const PAGE_PROBES = `(() => {
  const b = (window.__bench = { frames: [], inputDelays: [], eventTiming: [], maxRows: 0 });
  const seen = () => {
    const now = performance.now();
    if (b.gridMs === undefined && document.querySelector('[role=grid][aria-label="Calls, newest first"]')) b.gridMs = now;
    if (b.firstRowMs === undefined && document.querySelector('.calls-body [role=row]')) b.firstRowMs = now;
    if (b.firstRowMs === undefined) requestAnimationFrame(seen);
  };
  requestAnimationFrame(seen);
  b.record = (on) => {
    b.recording = on;
    if (!on) return;
    b.frames = [];
    let last = performance.now();
    const tick = (t) => {
      if (!b.recording) return;
      b.frames.push(t - last);
      last = t;
      b.maxRows = Math.max(b.maxRows, document.querySelectorAll('.calls-body [role=row]').length);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  };
  addEventListener('keydown', (e) => b.inputDelays.push(performance.now() - e.timeStamp), true);
  // Long animation frames while recording: how long, and how much of it was the page's own script (or blocking):
  // a long frame with little script is the page waiting on the machine, not on its code.
  b.longFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!b.recording) continue;
        const scriptMs = e.scripts.reduce((sum, s) => sum + s.duration, 0);
        b.longFrames.push({ ms: e.duration, scriptMs, blockingMs: e.blockingDuration });
      }
    }).observe({ type: 'long-animation-frame' });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'keydown') b.eventTiming.push(e.processingStart - e.startTime);
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {}
})()`;

/** Scrolls `.calls-scroll` from the top to the bottom-most loaded position in `steps`, one step per frame. */
const SCROLL_STEPS = (steps) => `(async () => {
  const scroller = document.querySelector('.calls-scroll');
  scroller.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const bottom = scroller.scrollHeight - scroller.clientHeight;
  const b = window.__bench;
  b.maxRows = 0;
  b.record(true);
  for (let i = 1; i <= ${steps}; i++) {
    scroller.scrollTop = (bottom * i) / ${steps};
    await new Promise((r) => requestAnimationFrame(r));
  }
  await new Promise((r) => requestAnimationFrame(r));
  b.record(false);
  return { frames: b.frames, maxRows: b.maxRows, scrolledPx: Math.round(scroller.scrollTop) };
})()`;

// The view's status line says "N calls shown": how many calls the grid holds (loaded pages and live calls).
const SHOWN = `(() => {
  for (const el of document.querySelectorAll('[role=status]')) {
    const m = /([\\d,]+) calls? shown/.exec(el.textContent ?? '');
    if (m) return Number(m[1].replace(/,/g, ''));
  }
  return -1;
})()`;
export const shownCount = (page) => page.evaluate(SHOWN);

/** The browser's processes, found among this process's children when launched: tracked so that they never outlive it. */
function newChromiumPids(before) {
  return descendants(process.pid).filter((pid) => {
    if (before.has(pid)) return false;
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('chrom');
    } catch {
      return false;
    }
  });
}

/** Why the dashboard cannot be opened here (no Chromium, no playwright-core, no build), or undefined. */
export async function browserMissing(log = console.log) {
  if (!fs.existsSync(CHROMIUM_PATH)) return `no ${CHROMIUM_PATH}`;
  try {
    await import('playwright-core');
  } catch (err) {
    return `playwright-core not importable (${err.message})`;
  }
  if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) {
    log('dashboard: dist/renderer/index.html is missing — building it (npx vite build)');
    try {
      execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
        cwd: root,
        timeout: 120_000,
        stdio: 'ignore',
      });
    } catch (err) {
      return `vite build failed (${err.message.split('\n')[0]})`;
    }
  }
  return undefined;
}

/** Debian's Chromium, its processes tracked so that they never outlive the bench: `{ browser, close() }`. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const before = new Set(descendants(process.pid));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 20_000,
  });
  const pids = newChromiumPids(before);
  for (const pid of pids) track(pid);
  return {
    browser,
    close: async () => {
      await Promise.race([browser.close().catch(() => undefined), sleep(5000)]);
      await Promise.all(pids.map((pid) => stopTree(pid, 500)));
    },
  };
}

/**
 * The dashboard's figures, or `{ measured: false, why }`. `plan`: records, loadedTarget (calls loaded before the
 * scroll), scrollSteps, streamSeconds, rate (calls/s), timeoutS.
 */
export async function benchDashboard(plan, log = console.log) {
  const why = await browserMissing(log);
  if (why) return { measured: false, why };
  let gateway;
  let chromium;
  let timer;
  const stop = async () => {
    clearTimeout(timer);
    await chromium?.close();
    if (gateway) await gateway.stop().catch(() => undefined);
  };
  const run = async () => {
    const seedStarted = Date.now();
    gateway = await startGatehouse({
      name: 'gatehouse dashboard',
      seed: (home) => seedLongLog(home, plan.records, 'bench'),
    });
    log(
      `dashboard: gateway with a ${plan.records.toLocaleString('en-US')}-record log started ` +
        `(seed + start ${Date.now() - seedStarted} ms)`,
    );
    if (!gateway.dashboardUrl) throw new Error('no dashboard URL in the ready line');
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(PAGE_PROBES);

    // 1. First paint: the login URL, then the grid and its first rows (times from navigation start).
    await page.goto(gateway.dashboardUrl);
    await page.locator(GRID).waitFor();
    await page.locator(ROWS).first().waitFor();
    const load = await page.evaluate(`(() => {
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
      return { fp: paint['first-paint'], fcp: paint['first-contentful-paint'],
        grid: window.__bench.gridMs, firstRow: window.__bench.firstRowMs };
    })()`);

    // 2. The long log: older pages load as the grid is scrolled to its end; then scroll through what is loaded.
    const loadStarted = Date.now();
    let loaded = await shownCount(page);
    if (loaded < 0) throw new Error('the view has no "calls shown" status line');
    while (loaded < Math.min(plan.loadedTarget, plan.records)) {
      await page.evaluate(
        `(() => { const s = document.querySelector('.calls-scroll'); s.scrollTop = s.scrollHeight; })()`,
      );
      const before = loaded;
      const until = Date.now() + 20_000;
      while (loaded <= before) {
        if (Date.now() > until) throw new Error(`no older calls loaded after ${loaded} (20 s)`);
        await sleep(25);
        loaded = await shownCount(page);
      }
    }
    const loadMoreMs = Date.now() - loadStarted;
    const scroll = await page.evaluate(SCROLL_STEPS(plan.scrollSteps));

    // 3. The live stream: `rate` calls/s for `streamSeconds` at the top of the grid, a key pressed every 100 ms.
    await page.evaluate(`document.querySelector('.calls-scroll').scrollTop = 0`);
    await sleep(300);
    const shownBefore = await shownCount(page);
    await page.evaluate(
      `(() => { const b = window.__bench; b.inputDelays = []; b.eventTiming = []; b.longFrames = []; b.maxRows = 0; b.record(true); })()`,
    );
    const total = Math.round(plan.rate * plan.streamSeconds);
    const calls = [];
    let failed = 0;
    const streamStarted = Date.now();
    let keys = 0;
    const keyLoop = (async () => {
      while (Date.now() - streamStarted < plan.streamSeconds * 1000) {
        await page.keyboard.press('Shift');
        keys++;
        await sleep(100);
      }
    })();
    for (let i = 0; i < total; i++) {
      const due = streamStarted + (i * 1000) / plan.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      calls.push(echo(gateway, i).catch(() => failed++));
    }
    await Promise.all(calls);
    await keyLoop;
    const sentS = (Date.now() - streamStarted) / 1000;
    let shownAfter = shownBefore;
    const until = Date.now() + 5000;
    while (Date.now() < until && shownAfter < shownBefore + total) {
      await sleep(100);
      shownAfter = await shownCount(page);
    }
    const live = await page.evaluate(`(() => { const b = window.__bench; b.record(false);
      return { frames: b.frames, inputDelays: b.inputDelays, eventTiming: b.eventTiming, maxRows: b.maxRows,
        longFrames: b.longFrames }; })()`);
    const longest = live.longFrames.reduce((a, f) => (a && a.ms >= f.ms ? a : f), undefined);
    const delays = [...live.inputDelays].sort((a, b) => a - b);

    return {
      measured: true,
      records: plan.records,
      load: {
        firstPaintMs: round1(load.fp),
        firstContentfulPaintMs: round1(load.fcp),
        gridVisibleMs: round1(load.grid),
        firstRowsMs: round1(load.firstRow),
      },
      scroll: {
        loadedCalls: loaded,
        loadOlderMs: loadMoreMs,
        steps: plan.scrollSteps,
        scrolledPx: scroll.scrolledPx,
        ...frameStats(scroll.frames),
        maxDomRows: scroll.maxRows,
      },
      live: {
        rate: plan.rate,
        seconds: plan.streamSeconds,
        calls: total,
        failed,
        sentInS: round1(sentS),
        appeared: shownAfter - shownBefore,
        allAppeared: shownAfter - shownBefore === total,
        ...frameStats(live.frames),
        maxDomRows: live.maxRows,
        keys,
        inputDelayMedianMs: round1(percentile(delays, 50)),
        inputDelayMaxMs: round1(delays.at(-1)),
        eventTimingMaxDelayMs: live.eventTiming.length ? round1(Math.max(...live.eventTiming)) : null,
        // Frames over 50 ms (Long Animation Frames API; none recorded by a browser without it).
        longFrames: live.longFrames.length,
        longestFrame: longest
          ? {
              ms: round1(longest.ms),
              scriptMs: round1(longest.scriptMs),
              blockingMs: round1(longest.blockingMs),
            }
          : null,
      },
      pageErrors: errors.slice(0, 5),
    };
  };
  try {
    return await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not done after ${plan.timeoutS} s`)),
          plan.timeoutS * 1000,
        );
      }),
    ]);
  } catch (err) {
    return { measured: false, why: err.message.split('\n')[0] };
  } finally {
    await stop();
  }
}
