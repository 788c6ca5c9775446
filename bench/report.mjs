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
  console.log('goals (reported, never enforced):');
  for (const g of r.goals) console.log(`  ${g.status.padEnd(12)} ${g.goal}: ${g.detail}`);
  console.log(`(${r.note})`);
}
