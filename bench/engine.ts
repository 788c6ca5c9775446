// The decision engine alone (run by bench/run.mjs as `node --import tsx bench/engine.ts [seconds]`): a 1,000-rule
// policy, 500 tool names across grants and servers, decide() and the charge the gateway makes on every allow.
// Prints one JSON line. Also: decisions with the selection memo cleared each time (a cold policy), and the cost of
// a rate limit whose window holds many hits (counted with two binary searches, never copied).
import {
  CounterStore,
  decide,
  parsePolicyText,
  type CallContext,
  type CompiledPolicy,
} from '../electron/gateway/policy/index.js';

type Rule = Record<string, unknown>;

const SERVERS = Array.from({ length: 10 }, (_, i) => `srv${i}`);
const GRANTS = Array.from({ length: 5 }, (_, i) => `grant${i}`);

function rule(i: number): Rule {
  if (i % 7 === 0) return { action: 'deny', reason: `rule ${i} is off` };
  if (i % 11 === 0) return { action: 'approve' };
  if (i % 5 === 0) return { limits: [{ counter: `c${i}`, window: 'minute', max: 100, scope: 'grant' }] };
  if (i % 13 === 0) return { args: { path: { pattern: '/srv/[a-z0-9/]+', maxLength: 200 } } };
  return { action: 'allow' };
}

/** 300 base rules, 10 servers × 40, 5 grants × (20 + 2 servers × 20): 1,000 rules. */
export function enginePolicy(): Record<string, unknown> {
  const tools: Record<string, Rule> = {};
  for (let i = 0; i < 150; i++) tools[`family${i}_*`] = rule(i);
  for (let i = 0; i < 150; i++) tools[`tool_${i}`] = rule(i + 1);
  const servers: Record<string, unknown> = {};
  SERVERS.forEach((server, s) => {
    const own: Record<string, Rule> = {};
    for (let i = 0; i < 20; i++) own[`${server}_op${i}_*`] = rule(i + s);
    for (let i = 0; i < 20; i++) own[`tool_${s * 20 + i + 150}`] = rule(i + s + 2);
    servers[server] = { default: s % 2 ? 'deny' : 'approve', tools: own };
  });
  const grants: Record<string, unknown> = {};
  GRANTS.forEach((grant, g) => {
    const own: Record<string, Rule> = {};
    for (let i = 0; i < 20; i++)
      own[i % 2 ? `tool_${g * 40 + i}` : `family${g * 20 + i}_*`] = rule(i + g + 3);
    const overlayServers: Record<string, unknown> = {};
    for (const server of [SERVERS[g], SERVERS[g + 5]]) {
      const sub: Record<string, Rule> = {};
      for (let i = 0; i < 20; i++)
        sub[i % 2 ? `${server}_op${i}_x` : `tool_${g * 20 + i + 150}`] = rule(i + g);
      overlayServers[server as string] = { tools: sub };
    }
    grants[grant] = { tools: own, servers: overlayServers };
  });
  return { version: '1', default: 'deny', tools, servers, grants };
}

/** 500 distinct (server, tool) names: exact keys, glob hits and names no rule knows, over 6 grants. */
function callMix(): CallContext[] {
  const calls: CallContext[] = [];
  const seen = new Set<string>();
  for (let i = 0; calls.length < 500 && i < 100_000; i++) {
    const server = SERVERS[i % SERVERS.length] as string;
    const n = Math.floor(i / 4);
    const kind = i % 4;
    const tool =
      kind === 0
        ? `tool_${n % 350}`
        : kind === 1
          ? `family${n % 150}_${n % 3 ? 'read' : 'write'}`
          : kind === 2
            ? `${server}_op${n % 20}_${n % 3 ? 'x' : 'y'}`
            : `unknown_${n}`;
    if (seen.has(`${server}/${tool}`)) continue;
    seen.add(`${server}/${tool}`);
    calls.push({
      server,
      tool,
      arguments: { path: `/srv/data/${i}`, limit: i },
      grant: GRANTS[i % 6] ?? 'no-overlay',
      session: `session${i % 8}`,
    });
  }
  return calls;
}

function compile(policy: unknown): CompiledPolicy {
  const parsed = parsePolicyText(JSON.stringify(policy));
  if (!parsed.ok) throw new Error(`bench policy invalid: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  return parsed.compiled;
}

/** Runs `step` in batches until `seconds` pass; returns decisions per second and the statuses seen. */
function loop(seconds: number, step: (i: number) => string) {
  const statuses: Record<string, number> = {};
  const started = process.hrtime.bigint();
  const limitNs = BigInt(Math.round(seconds * 1e9));
  let n = 0;
  for (let batch = 0; batch < 100_000_000; batch++) {
    for (let j = 0; j < 1000; j++, n++) {
      const status = step(n);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    if (process.hrtime.bigint() - started >= limitNs) break;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { decisions: n, seconds: elapsed, perSecond: Math.round(n / elapsed), statuses };
}

function main(): void {
  const seconds = Number(process.argv[2] ?? 2);
  const policy = enginePolicy();
  const compileStart = process.hrtime.bigint();
  const compiled = compile(policy);
  const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
  const calls = callMix();

  // Warm-up so the JIT has compiled decide() before the clock starts.
  const warmCounters = new CounterStore();
  for (let i = 0; i < 20_000; i++)
    decide(calls[i % calls.length] as CallContext, compiled, warmCounters, Date.now());

  const counters = new CounterStore();
  const warm = loop(seconds, (i) => {
    const now = Date.now();
    const d = decide(calls[i % calls.length] as CallContext, compiled, counters, now);
    if (d.decision === 'allow') counters.charge(d.charges, now);
    return d.status;
  });

  const coldCounters = new CounterStore();
  const cold = loop(seconds / 4, (i) => {
    compiled.memo.clear();
    const now = Date.now();
    const d = decide(calls[i % calls.length] as CallContext, compiled, coldCounters, now);
    if (d.decision === 'allow') coldCounters.charge(d.charges, now);
    return d.status;
  });

  // A limit far from its max whose window holds `hits` charges: each decision counts them (two binary searches).
  const busyLimit = (hits: number) => {
    const limited = compile({
      version: '1',
      tools: { echo: { limits: [{ counter: 'echo', window: 'minute', max: 10_000_000 }] } },
    });
    const store = new CounterStore();
    const now = Date.now();
    const call: CallContext = { server: 'ev', tool: 'echo', arguments: {}, grant: 'g', session: 's' };
    const charge = decide(call, limited, store, now).charges;
    for (let i = 0; i < hits; i++) store.charge(charge, now - 50_000 + (i * 50_000) / hits);
    return loop(seconds / 8, () => decide(call, limited, store, now).status).perSecond;
  };

  const out = {
    rules: compiled.rules.length,
    toolNames: new Set(calls.map((c) => `${c.server}/${c.tool}`)).size,
    grants: GRANTS.length + 1,
    servers: SERVERS.length,
    compileMs: Math.round(compileMs * 10) / 10,
    decisionsPerSecond: warm.perSecond,
    decisions: warm.decisions,
    seconds: Math.round(warm.seconds * 100) / 100,
    statuses: warm.statuses,
    coldDecisionsPerSecond: cold.perSecond,
    busyLimitDecisionsPerSecond: {
      hits0: busyLimit(0),
      hits1000: busyLimit(1000),
      hits10000: busyLimit(10_000),
    },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
