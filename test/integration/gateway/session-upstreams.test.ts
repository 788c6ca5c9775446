// `sessionUpstreams: true`: each client session gets its own instance of the server, so the server's own requests
// (sampling) go to the right client even when several clients call at once — which a shared instance cannot promise.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { makeHome, openedGateways, startGateway } from '../../helpers/gateway-fixture.js';
import { EVERYTHING_JS, everythingStdio } from '../../helpers/upstreams.js';

const opened = openedGateways();
afterEach(() => opened.closeAll());

async function samplingClient(runtime: RuntimeInfo, token: string, name: string) {
  const client = new Client({ name, version: '1' }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    await new Promise((r) => setTimeout(r, 400)); // both calls are in flight at once
    return { role: 'assistant', content: { type: 'text', text: `answered by ${name}` }, model: 'test' };
  });
  const transport = new StreamableHTTPClientTransport(new URL(runtime.mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  // Ending the session (HTTP DELETE) is what stops its own upstream instance.
  return Object.assign(client, { endSession: () => transport.terminateSession() });
}

/** The server-everything processes this test process's gateway started (its direct children). */
function everythingProcesses(): number {
  let n = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [status, ppid] = state.slice(state.lastIndexOf(')') + 2).split(' ');
      // Only this test's own gateway's children: other test files run servers too.
      if (cmd.includes(EVERYTHING_JS) && status !== 'Z' && Number(ppid) === process.pid) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

async function setup(sessionUpstreams: boolean) {
  const home = makeHome({
    servers: { ev: everythingStdio(sessionUpstreams ? { sessionUpstreams: true } : {}) },
    grants: ['a', 'b'],
  });
  const { gateway, runtime } = await startGateway(home, ['ev']);
  const a = await samplingClient(runtime, home.tokens.a!, 'client-a');
  const b = await samplingClient(runtime, home.tokens.b!, 'client-b');
  opened.track(home, gateway, a, b);
  const sample = (c: Client) =>
    c
      .request(
        {
          method: 'tools/call',
          params: { name: 'ev__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } },
        },
        CallToolResultSchema,
      )
      .then((r) => JSON.stringify(r));
  return { a, b, sample };
}

describe('one upstream instance per client session', () => {
  it('a shared instance refuses sampling it cannot attribute when two clients call at once', async () => {
    const { a, b, sample } = await setup(false);
    const [ra, rb] = await Promise.all([sample(a), sample(b)]);
    expect([ra, rb].some((r) => r.includes('cannot tell without doubt'))).toBe(true);
  });

  it('with sessionUpstreams each client gets its own instance, and its own sampling requests', async () => {
    const before = everythingProcesses();
    const { a, b, sample } = await setup(true);
    const [ra, rb] = await Promise.all([sample(a), sample(b)]);
    expect(ra).toContain('answered by client-a');
    expect(rb).toContain('answered by client-b');
    expect(everythingProcesses() - before).toBe(3); // the shared one (for listing) and one per session
    await a.endSession();
    const deadline = Date.now() + 5000;
    while (everythingProcesses() - before > 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(everythingProcesses() - before).toBe(2);
  });
});
