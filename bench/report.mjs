// The human part of the bench's output: the table, what was left out and why, the engine, and the goals.
const num = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');

export function printReport(r) {
  const m = r.machine;
  console.log(
    `\nGatehouse benchmark (${r.quick ? 'quick' : 'full'}), ${r.date}: server-everything echo, ${r.plan.rounds} rounds × ` +
      `${r.plan.latencyCalls} sequential calls + ${r.plan.throughputCalls} calls at ${r.plan.inflight} in flight per target`,
  );
  console.log(
    `machine: ${m.cores} cores ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
      `load ${m.loadavgAtStart.join('/')} → ${m.loadavgAtEnd.join('/')}`,
  );
  const rows = [
    [
      'target',
      'p50 µs',
      'p90 µs',
      'p99 µs',
      'calls/s',
      'RSS MB',
      'start ms',
      'CPU µs/call',
      'RSS and CPU of',
    ],
  ];
  for (const [name, t] of Object.entries(r.targets)) {
    rows.push([
      name,
      num(t.p50Us),
      num(t.p90Us),
      num(t.p99Us),
      num(t.callsPerSecond),
      String(t.rssMb),
      num(t.startMs),
      num(t.cpuUsPerCall),
      t.cpuOf === t.rssOf ? t.rssOf : `${t.rssOf}; CPU: ${t.cpuOf}`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) {
    console.log(
      row
        .map((cell, c) =>
          c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join('  '),
    );
  }
  for (const [name, why] of Object.entries(r.skipped)) console.log(`not measured: ${name} — ${why}`);
  if (r.gatehouse) {
    const g = r.gatehouse;
    console.log(
      `gatehouse: ready in ${num(g.readyMs)} ms (spawn to ready line, upstreams not counted); gateway RSS ${g.rssMb} MB ` +
        `after the run; policy of ${g.policyRules} rules; call log ${num(g.callLogLines)} lines, ${num(g.callLogBytes)} bytes`,
    );
  }
  if (r.engine) {
    const e = r.engine;
    console.log(
      `engine: ${num(e.decisionsPerSecond)} decisions/s (${e.rules} rules, ${e.toolNames} tool names, memo warm); ` +
        `${num(e.coldDecisionsPerSecond)}/s with the selection memo cleared each call; compile ${e.compileMs} ms; ` +
        `a limit with 0 / 1,000 / 10,000 hits in its window: ${num(e.busyLimitDecisionsPerSecond.hits0)} / ` +
        `${num(e.busyLimitDecisionsPerSecond.hits1000)} / ${num(e.busyLimitDecisionsPerSecond.hits10000)} decisions/s`,
    );
  }
  const d = r.dashboard;
  if (d?.measured) {
    const ms = (v) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : 'n/a');
    const frames = (f) =>
      `frames median ${f.frameMedianMs} / p95 ${f.frameP95Ms} / max ${f.frameMaxMs} ms (${f.frames} frames)`;
    console.log(
      `dashboard: first paint ${ms(d.load.firstPaintMs)}, first contentful paint ${ms(d.load.firstContentfulPaintMs)}, ` +
        `calls grid visible ${ms(d.load.gridVisibleMs)}, first rows of a ${num(d.records)}-record log ` +
        `${ms(d.load.firstRowsMs)} (from navigation start)`,
    );
    console.log(
      `  scroll: ${num(d.scroll.loadedCalls)} calls loaded (older pages in ${ms(d.scroll.loadOlderMs)}), ` +
        `top to bottom in ${d.scroll.steps} steps: ${frames(d.scroll)}; at most ${d.scroll.maxDomRows} rows in the DOM`,
    );
    const l = d.live;
    console.log(
      `  live: ${l.calls} calls at ${l.rate}/s (sent in ${l.sentInS} s, ${l.failed} failed), ` +
        `${l.appeared} appeared${l.allAppeared ? ' (all)' : ` — NOT all of ${l.calls}`}: ${frames(l)}; ` +
        `input delay median ${l.inputDelayMedianMs} / max ${l.inputDelayMaxMs} ms over ${l.keys} key presses` +
        (l.eventTimingMaxDelayMs !== null ? ` (Event Timing max ${l.eventTimingMaxDelayMs} ms)` : '') +
        (l.longestFrame
          ? `; ${l.longFrames} frames over 50 ms, the longest ${l.longestFrame.ms} ms with ` +
            `${l.longestFrame.scriptMs} ms of script and ${l.longestFrame.blockingMs} ms blocking`
          : ''),
    );
    if (d.pageErrors.length > 0) console.log(`  page errors: ${d.pageErrors.join(' | ')}`);
  } else if (d) {
    console.log(`dashboard: not measured (${d.why})`);
  }
  if (r.history) printHistory(r.history);
  printGoals(r.goals);
  console.log(`(${r.note})`);
}

/** The history section (bench/history/): its size, the API's and CLI's figures, the dashboard's. */
export function printHistory(section) {
  const h = section.history;
  const ms = (v) =>
    Number.isFinite(v) ? `${v.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms` : 'n/a';
  console.log(
    `history: ${num(h.calls)} calls (${num(h.callsPerDay)} a day, ${h.firstDay} … ${h.lastDay}), ${num(h.lines)} lines, ` +
      `${(h.bytes / 2 ** 30).toFixed(2)} GiB; ${h.reused ? 'reused from' : `generated in ${ms(h.generateWallMs)} into`} ${h.cache}`,
  );
  const a = section.api;
  if (!a.measured) console.log(`  API: not measured (${a.why})`);
  else {
    const checked = (f) => `${ms(f.medianMs)}${f.ok ? '' : ` WRONG: ${f.why}`}`;
    console.log(
      `  ready: first start ${ms(a.ready.firstMs)}, restarts median ${ms(a.ready.restartMedianMs)} ` +
        `(${a.ready.runs.join(', ')} ms); medians of up to ${section.plan.repeats} runs:`,
    );
    console.log(
      `  first page (limit 50) ${checked(a.firstPage)}; filtered (server=github, status=denied) ` +
        `${checked(a.filtered)}; a text in 1 call in 1,000 ${checked(a.rareSearch)}; in 10 calls of the month ` +
        `${checked(a.veryRareSearch)}; in none ${checked(a.noMatch)} (right after the first start ` +
        `${checked(a.noMatchAtFirstStart)}); a phrase of common words in none ${checked(a.absentPhrase)}; the days' ` +
        `search index complete ${a.indexMs === null ? 'never seen' : `${ms(a.indexMs)} after the last start`}`,
    );
    const p = a.dayPaging;
    console.log(
      `  ${p.day} paged back (limit 1,000, nextBefore): ${p.pages} pages in ${ms(p.totalMs)} (median ${ms(p.pageMedianMs)}, ` +
        `max ${ms(p.pageMaxMs)} a page); ${num(p.seen)} of ${num(p.expected)} calls seen, ${p.duplicates} twice` +
        `${p.ok ? '' : p.complete ? ' — WRONG' : ' — stopped at its time budget'}`,
    );
    console.log(
      `  export of ${h.lastDay}: API ${ms(a.exportApi.medianMs)} (${num(a.exportApi.calls)} calls` +
        `${a.exportApi.truncated ? ', truncated at its bound' : ''}); gatehouse log export ${ms(a.exportCli.medianMs)} ` +
        `(${num(a.exportCli.calls)} of ${num(a.exportCli.expected)} calls); gatehouse log verify ${ms(a.verifyDay.medianMs)} ` +
        `(${a.verifyDay.output})`,
    );
    console.log(
      `  the chain's state (GET /api/log/head, asked by Live calls when it opens) ${ms(a.logHead.medianMs)} ` +
        `(${num(a.logHead.records)} records of ${a.logHead.day}${a.logHead.ok ? '' : ' — WRONG'}); gateway RSS ` +
        `${a.rssAfterReadyMb} MB when ready, ${a.rssMb} MB after all of it (after each step: ` +
        `${Object.entries(a.rssAfter)
          .map(([step, mb]) => `${step} ${mb}`)
          .join(', ')} MB)`,
    );
  }
  const d = section.dashboard;
  if (!d.measured) {
    console.log(`  dashboard: not measured (${d.why})`);
    return;
  }
  const b = d.dayBack;
  console.log(
    `  dashboard: first rows ${ms(d.load.firstRowsMs)} from navigation start (grid ${ms(d.load.gridVisibleMs)}, first ` +
      `contentful paint ${ms(d.load.firstContentfulPaintMs)}); back through ${b.day} by scrolling: ${b.pages} pages in ` +
      `${ms(b.totalMs)} (median ${ms(b.pageMedianMs)}, p95 ${ms(b.pageP95Ms)}, max ${ms(b.pageMaxMs)} a page), ` +
      `${b.reachedDayBefore ? 'reached the day before' : `NOT through the day (${num(b.shown)} calls shown)`}; ` +
      `search typed: ${num(d.search.shown)} calls ${ms(d.search.searchMs)} after the last key (${d.search.debounceMs} ms ` +
      `of it the box's pause); screenshots ${d.screenshots.join(', ')}` +
      (d.pageErrors.length > 0 ? `; page errors: ${d.pageErrors.join(' | ')}` : ''),
  );
}

export function printGoals(goals) {
  console.log('goals (reported, never enforced):');
  for (const g of goals) console.log(`  ${g.status.padEnd(12)} ${g.goal}: ${g.detail}`);
}
