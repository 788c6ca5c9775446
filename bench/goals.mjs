// The performance goals, checked against one run's figures. A goal is reported met or not met with its numbers;
// it never fails the process (CI's machine is shared and noisy).
export const PEERS = ['supergateway', 'mcp-proxy', 'mcp-proxy (no event store)'];

function best(targets, key, pick) {
  const peers = PEERS.map((name) => [name, targets[name]?.[key]]).filter(([, v]) => Number.isFinite(v));
  if (peers.length === 0) return undefined;
  return peers.reduce((a, b) => (pick(b[1], a[1]) ? b : a));
}

const fmt = (v, digits = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';

export function checkGoals({ targets, engine, gatehouse, dashboard, history }) {
  const goals = [];
  const add = (goal, measured, detail) =>
    goals.push({
      goal,
      status: measured === undefined ? 'not measured' : measured ? 'met' : 'not met',
      detail,
    });
  const http = targets['gatehouse http'];
  const bridge = targets['gatehouse bridge'];

  const p50Peer = best(targets, 'p50Us', (a, b) => a < b);
  add(
    'Gatehouse HTTP p50 <= 0.75 x best peer p50',
    http && p50Peer ? http.p50Us <= 0.75 * p50Peer[1] : undefined,
    http && p50Peer
      ? `${fmt(http.p50Us)} µs vs ${p50Peer[0]} ${fmt(p50Peer[1])} µs: ratio ${fmt(http.p50Us / p50Peer[1], 2)} (limit 0.75)`
      : 'no Gatehouse or no peer figure',
  );
  const cpsPeer = best(targets, 'callsPerSecond', (a, b) => a > b);
  add(
    'Gatehouse HTTP calls/s >= 1.1 x best peer',
    http && cpsPeer ? http.callsPerSecond >= 1.1 * cpsPeer[1] : undefined,
    http && cpsPeer
      ? `${fmt(http.callsPerSecond)}/s vs ${cpsPeer[0]} ${fmt(cpsPeer[1])}/s: ratio ${fmt(http.callsPerSecond / cpsPeer[1], 2)} (at least 1.1)`
      : 'no Gatehouse or no peer figure',
  );
  add(
    'bridge p50 <= 1.5 x Gatehouse HTTP p50',
    bridge && http ? bridge.p50Us <= 1.5 * http.p50Us : undefined,
    bridge && http
      ? `${fmt(bridge.p50Us)} µs vs ${fmt(http.p50Us)} µs: ratio ${fmt(bridge.p50Us / http.p50Us, 2)} (limit 1.5)`
      : 'bridge not measured',
  );
  add(
    'engine >= 500,000 decisions/s (1,000 rules)',
    engine ? engine.decisionsPerSecond >= 500_000 : undefined,
    engine ? `${fmt(engine.decisionsPerSecond)} decisions/s` : 'engine not measured',
  );
  add(
    'Gatehouse RSS <= 120 MB',
    Number.isFinite(gatehouse?.rssMb) ? gatehouse.rssMb <= 120 : undefined,
    `${fmt(gatehouse?.rssMb, 1)} MB (gateway process, after the run)`,
  );
  add(
    'gatehouse serve ready <= 0.5 s',
    Number.isFinite(gatehouse?.readyMs) ? gatehouse.readyMs <= 500 : undefined,
    `${fmt(gatehouse?.readyMs)} ms from spawn to the ready line (upstreams not counted)`,
  );
  const d = dashboard?.measured ? dashboard : undefined;
  const fcp = d?.load.firstContentfulPaintMs;
  add(
    'dashboard first contentful paint <= 1 s',
    Number.isFinite(fcp) ? fcp <= 1000 : undefined,
    d ? `${fmt(fcp)} ms from navigation start (login URL)` : 'dashboard not measured',
  );
  const scrollP95 = d?.scroll.frameP95Ms;
  add(
    'dashboard scroll p95 frame <= 50 ms',
    Number.isFinite(scrollP95) ? scrollP95 <= 50 : undefined,
    d
      ? `${fmt(scrollP95, 1)} ms over ${d.scroll.frames} frames (${fmt(d.scroll.loadedCalls)} loaded calls of a ` +
          `${fmt(d.records)}-record log)`
      : 'dashboard not measured',
  );
  const inputMax = d?.live.inputDelayMaxMs;
  add(
    `dashboard input delay <= 100 ms at ${d?.live.rate ?? 100} calls/s`,
    Number.isFinite(inputMax) ? inputMax <= 100 : undefined,
    d ? `max ${fmt(inputMax, 1)} ms over ${d.live.keys} key presses` : 'dashboard not measured',
  );
  if (history) goals.push(...historyGoals(history));
  return goals;
}

const GOAL_RECORDS = 3_000_000;

/** The page queries' goals: goal, limit (ms), the figure's key, what was asked. */
const TIMED_GOALS = [
  ['first page <= 50 ms', 50, 'firstPage', 'limit 50, no filter'],
  ['filtered page <= 200 ms', 200, 'filtered', 'server=github&status=denied, limit 50'],
  ['rare-text search <= 200 ms', 200, 'rareSearch', 'a text in 1 call in 1,000, limit 50'],
  ['search that matches nothing <= 2 s', 2000, 'noMatch', 'a text in no call, of letters found nowhere'],
  [
    'search that matches nothing <= 2 s (common words)',
    2000,
    'absentPhrase',
    'a phrase in no call, each of its words everywhere',
  ],
];

/** The API's and CLI's figures of the history section against their limits: `{ goal, value, limit, detail, wrong? }`. */
function historyApiFigures(api, lastDay) {
  const ms = (v) => `${fmt(v, 1)} ms`;
  const timed = (key, what) => {
    const f = api[key];
    return {
      value: f?.medianMs,
      detail: f ? `${what}: median ${ms(f.medianMs)} of ${f.runs.length} (${f.runs.join(', ')})` : 'not run',
      wrong: f?.ok === false ? f.why : undefined,
    };
  };
  const { ready, verifyDay: v } = api;
  return [
    {
      goal: 'serve ready <= 0.5 s',
      limit: 500,
      value: ready.restartMedianMs ?? ready.firstMs,
      detail: `median of ${ready.runs.length - 1} restarts ${ms(ready.restartMedianMs)}; first start ${ms(ready.firstMs)}`,
    },
    ...TIMED_GOALS.map(([goal, limit, key, what]) => ({ goal, limit, ...timed(key, what) })),
    {
      goal: 'RSS <= 150 MB after all of it',
      limit: 150,
      value: api.rssMb,
      detail: `${fmt(api.rssMb, 1)} MB`,
    },
    {
      goal: 'log verify of a day <= 1 s',
      limit: 1000,
      value: v.medianMs,
      detail: `gatehouse log verify --since ${lastDay}: median ${ms(v.medianMs)}; ${v.output}`,
      wrong: v.ok ? undefined : v.output,
    },
  ];
}

/**
 * The goals of issue 20 on a month of history (3,000,000 calls), each with its figure; 'not met' when the answer was
 * wrong or missing (a check against what the generator wrote failed), however fast. On another size they are not
 * checked. The dashboard's first rows are held to the dashboard's first-paint goal (1 s).
 */
export function historyGoals(section) {
  const { api, dashboard, history } = section;
  const figures = api.measured
    ? historyApiFigures(api, history.lastDay)
    : [{ goal: 'the API and CLI', detail: `not measured (${api.why})` }];
  figures.push(
    dashboard.measured
      ? {
          goal: 'dashboard first rows <= 1 s',
          limit: 1000,
          value: dashboard.load.firstRowsMs,
          detail: `${fmt(dashboard.load.firstRowsMs)} ms from navigation start (login URL) to the first rows of Live calls`,
        }
      : { goal: 'dashboard first rows <= 1 s', detail: `not measured (${dashboard.why})` },
  );
  const otherSize = history.calls !== GOAL_RECORDS;
  return figures.map((f) => ({
    goal: `history (3M records): ${f.goal}`,
    status:
      otherSize || (f.wrong === undefined && !Number.isFinite(f.value))
        ? 'not measured'
        : f.wrong === undefined && f.value <= f.limit
          ? 'met'
          : 'not met',
    detail: otherSize
      ? `${f.detail} — on ${fmt(history.calls)} calls: the goal is for ${fmt(GOAL_RECORDS)}`
      : `${f.detail}${f.wrong === undefined ? '' : ` — WRONG OR NO ANSWER: ${f.wrong}`}`,
  }));
}
