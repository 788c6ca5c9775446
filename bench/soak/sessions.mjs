// The soak's clients: MCP sessions over Streamable HTTP, a few at a time, each making its share of calls from a fixed
// mix (allowed, denied and rate-limited tools on both upstreams) and ending its session (DELETE) when done. Every call
// carries a unique `note` argument, so the call log can be matched against what the clients saw.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** [exposed name, weight, arguments besides the note]. */
const MIX = [
  ['ev__echo', 40, { message: 'soak' }],
  ['ev__get-sum', 15, { a: 2, b: 3 }],
  ['ev__get-env', 8, {}],
  ['ev__get-tiny-image', 10, {}],
  ['mem__search_nodes', 15, { query: 'soak' }],
  ['mem__read_graph', 7, {}],
  ['mem__delete_entities', 5, { entityNames: ['nothing'] }],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [, weight]) => sum + weight, 0);
const CALL_TIMEOUT_MS = 30_000;

/** The n-th call of a session: each run of 100 calls holds the whole mix, in an order that differs per session. */
function pick(session, n) {
  let at = (n * 37 + session * 11) % TOTAL_WEIGHT;
  for (const entry of MIX) {
    if (at < entry[1]) return entry;
    at -= entry[1];
  }
  return MIX[0];
}

/** What each call ended as, seen from the client. */
export function newTally() {
  return {
    calls: 0,
    outcomes: { ok: 0, denied: 0, rate_limited: 0, tool_error: 0, rpc_error: 0, no_answer: 0 },
    /** marker → { tool, kind: 'forwarded' | 'refused' | 'rpc-error' | 'no-answer', status? } */
    byMarker: new Map(),
    /** error text with names and numbers taken out → how many */
    errorKinds: new Map(),
    sessionsOpened: 0,
    sessionsClosed: 0,
    sessionFailures: 0,
  };
}

/** Counts an error by its kind: its text with tool names and numbers taken out. */
function countError(tally, text) {
  const kind = text
    .replace(/\b(ev|mem)__[\w-]+/g, '<tool>')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
  tally.errorKinds.set(kind, (tally.errorKinds.get(kind) ?? 0) + 1);
}

async function oneCall(client, tally, marker, [name, , args]) {
  tally.calls++;
  try {
    const result = await client.callTool({ name, arguments: { ...args, note: marker } }, undefined, {
      timeout: CALL_TIMEOUT_MS,
    });
    const decision = result._meta?.['gatehouse/decision'];
    if (decision) {
      const status = decision.status === 'rate_limited' ? 'rate_limited' : 'denied';
      tally.outcomes[status]++;
      tally.byMarker.set(marker, { tool: name, kind: 'refused', status: decision.status });
    } else {
      tally.outcomes[result.isError ? 'tool_error' : 'ok']++;
      tally.byMarker.set(marker, { tool: name, kind: 'forwarded', isError: result.isError === true });
      if (result.isError) {
        const text = result.content?.find?.((c) => c.type === 'text')?.text;
        countError(tally, `tool error: ${text ?? 'no text'}`);
      }
    }
  } catch (err) {
    // An McpError carries a JSON-RPC code: the gateway answered. Anything else never got an answer.
    const answered = typeof err?.code === 'number';
    tally.outcomes[answered ? 'rpc_error' : 'no_answer']++;
    tally.byMarker.set(marker, { tool: name, kind: answered ? 'rpc-error' : 'no-answer' });
    countError(tally, `${answered ? 'JSON-RPC error' : 'no answer'}: ${err?.message ?? err}`);
  }
}

/** One client session: initialize, `calls` calls one after another, then DELETE the session and close. */
async function runSession(mcpUrl, token, index, calls, tally, shouldStop) {
  const client = new Client({ name: 'gatehouse-soak', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  try {
    await client.connect(transport);
    tally.sessionsOpened++;
  } catch (err) {
    tally.sessionFailures++;
    countError(tally, `session ${index} did not open: ${err?.message ?? err}`);
    await client.close().catch(() => undefined);
    return;
  }
  try {
    for (let n = 0; n < calls && !shouldStop(); n++)
      await oneCall(client, tally, `s${index}-c${n}`, pick(index, n));
  } finally {
    try {
      await transport.terminateSession();
      tally.sessionsClosed++;
    } catch (err) {
      countError(tally, `session ${index} did not end: ${err?.message ?? err}`);
    }
    await client.close().catch(() => undefined);
  }
}

/**
 * Runs `sessions` sessions, `concurrency` at a time, with `totalCalls` calls spread evenly over them; stops starting
 * sessions and calls once `shouldStop()` says so. Resolves when every session has ended.
 */
export async function runSessions({ mcpUrl, token, sessions, totalCalls, concurrency, tally, shouldStop }) {
  let next = 0;
  const worker = async () => {
    while (next < sessions && !shouldStop()) {
      const index = next++;
      // The remainder goes to the first sessions, so the counts add up exactly.
      const calls = Math.floor(totalCalls / sessions) + (index < totalCalls % sessions ? 1 : 0);
      await runSession(mcpUrl, token, index, calls, tally, shouldStop);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
